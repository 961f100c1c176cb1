import Core

/// Every benchmark `porecipe bench` knows, in the order it prints them.
enum BenchmarkSuite {
  static var all: [Benchmark] {
    [elementwiseExp] + matmul
  }

  /// y = exp(x) over 1M floats; bytes moved = read + write.
  static var elementwiseExp: Benchmark { Benchmark(
    name: "elementwise_exp_1m", unit: .gbPerSecond, workPerCall: 8 * 1_048_576, iterations: 20
  ) {
    let x = Tensor(repeating: 0.5, shape: [1_048_576])
    var y = Tensor(zeros: [1_048_576])
    return { Elementwise.apply(.exp, x.floats, y.mutableFloats(), count: x.count) }
  } }
}
