import Core

extension BenchmarkSuite {
  /// Matrix products: square sgemm sizes, then the transposed variants the autodiff uses and
  /// the shapes of a small transformer (width 128, 4 heads of 32, context 64, batch 32).
  static var matmul: [Benchmark] {
    [64, 128, 256, 512].map { n in product(name: "sgemm_n\(n)", m: n, n: n, k: n) } + [
      product(name: "matmul_tn_n256", m: 256, n: 256, k: 256, transposeA: true),
      product(name: "matmul_nt_n256", m: 256, n: 256, k: 256, transposeB: true),
      product(name: "matmul_tt_n256", m: 256, n: 256, k: 256, transposeA: true, transposeB: true),
      product(name: "matmul_2048x128_128x384", m: 2048, n: 384, k: 128),
      product(name: "matmul_2048x128_128x512", m: 2048, n: 512, k: 128),
      product(name: "matmul_2048x512_512x128", m: 2048, n: 128, k: 512),
      product(name: "matmul_nt_2048x128_384x128", m: 2048, n: 384, k: 128, transposeB: true),
      product(name: "matmul_tn_128x2048_2048x384", m: 128, n: 384, k: 2048, transposeA: true),
      product(name: "matmul_attention_128x_64x32_32x64", m: 64, n: 64, k: 32, batch: 128, transposeB: true),
      product(name: "matmul_attention_128x_64x64_64x32", m: 64, n: 32, k: 64, batch: 128),
      product(name: "matmul_attention_tn_128x_64x64_64x32", m: 64, n: 32, k: 64, batch: 128, transposeA: true),
    ]
  }

  /// `batch` products C[m×n] = op(A) · op(B) of constant data; work = 2·m·n·k each.
  private static func product(name: String, m: Int, n: Int, k: Int, batch: Int = 1,
                              transposeA: Bool = false, transposeB: Bool = false) -> Benchmark {
    let flops = 2.0 * Double(m * n * k * batch)
    // NOTE: at least 27 ms per repetition at 220 GFLOPS (both cores), so timer and noise stay small.
    let iterations = max(5, Int(6e9 / flops))
    return Benchmark(name: name, unit: .gflops, workPerCall: flops, iterations: iterations) {
      let a = Tensor(repeating: 0.5, shape: [batch, m * k])
      let b = Tensor(repeating: 0.25, shape: [batch, k * n])
      var c = Tensor(zeros: [batch, m * n])
      return {
        Matmul.batched(batch: batch, transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                       a: a.floats, strideA: m * k, lda: transposeA ? m : k,
                       b: b.floats, strideB: k * n, ldb: transposeB ? k : n,
                       c: c.mutableFloats(), strideC: m * n, ldc: n, accumulate: false)
      }
    }
  }
}
