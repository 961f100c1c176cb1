extension Matmul {
  /// Products with A transposed and C at most this wide (the weight gradient of a policy or
  /// value head: n = 1…4) use `narrowProduct`; the packed kernel's 32-wide panels would be
  /// mostly padding there.
  static let narrowestWidth = 4

  /// C[m×n] (+)= Aᵀ·op(B) for A stored k×m and n ≤ `narrowestWidth`, on one thread.
  ///
  /// Rows of the stored A are columns of op(A), so C's columns are built as vectors of
  /// length m: Σ_p op(B)[p, j]·A[p, :]. Each element is the same fused multiply-add chain as
  /// in the packed kernel — increasing p within the same depth blocks, each block started
  /// at zero and then stored or added to C — so its bits do not depend on the path taken.
  static func narrowProduct(transposeB: Bool, m: Int, n: Int, k: Int,
                            a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                            c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let depthStep = Blocking(m: m, n: n, k: k).depthStep
    withUnsafeTemporaryAllocation(of: Float.self, capacity: n * m) { buffer in
      let columns = buffer.baseAddress!
      for p0 in stride(from: 0, to: k, by: depthStep) {
        columns.update(repeating: 0, count: n * m)
        for p in p0..<min(k, p0 + depthStep) {
          let row = a + p * lda
          for j in 0..<n { axpy(transposeB ? b[j * ldb + p] : b[p * ldb + j], row, columns + j * m, count: m) }
        }
        let stores = p0 == 0 && !accumulate
        for i in 0..<m {
          for j in 0..<n { c[i * ldc + j] = stores ? columns[j * m + i] : c[i * ldc + j] + columns[j * m + i] }
        }
      }
    }
  }

  /// y ← fma(alpha, x, y) elementwise, SIMD16 with a scalar tail that rounds the same way.
  @inline(__always)
  static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
      let updated = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD16<Float>.self)
        .addingProduct(alpha, UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self))
      UnsafeMutableRawPointer(y + i).storeBytes(of: updated, as: SIMD16<Float>.self)
      i += 16
    }
    while i < count { y[i] = y[i].addingProduct(alpha, x[i]); i += 1 }
  }
}
