/// PLACEHOLDER (replaced by the packed SIMD kernel on branch `sgemm`): C (+)= op(A)·op(B).
public enum Matmul {
  public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    for i in 0..<m {
      for j in 0..<n {
        var total: Float = accumulate ? c[i * ldc + j] : 0
        for q in 0..<k {
          total += a[transposeA ? q * lda + i : i * lda + q] * b[transposeB ? j * ldb + q : q * ldb + j]
        }
        c[i * ldc + j] = total
      }
    }
  }

  public static func batched(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, strideA: Int, lda: Int, b: UnsafePointer<Float>, strideB: Int, ldb: Int,
                             c: UnsafeMutablePointer<Float>, strideC: Int, ldc: Int, accumulate: Bool) {
    for p in 0..<batch {
      sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a + p * strideA, lda: lda,
            b: b + p * strideB, ldb: ldb, c: c + p * strideC, ldc: ldc, accumulate: accumulate)
    }
  }
}
