import Core

extension BenchmarkSuite {
  /// Elementwise and reduction throughput on 1M floats (bytes moved per second).
  static var elementwise: [Benchmark] {
    [elementwiseTanh, elementwiseGelu, reduceSum, softmaxRows]
  }

  /// Inputs spread over [−8, 8] so every branch of the kernels is exercised.
  static func spreadInput(count: Int) -> Tensor {
    Tensor(shape: [count], scalars: (0..<count).map { Float($0 % 1601) / 100 - 8 })
  }

  /// y = tanh(x) over 1M floats; bytes moved = read + write.
  static var elementwiseTanh: Benchmark { Benchmark(
    name: "elementwise_tanh_1m", unit: .gbPerSecond, workPerCall: 8 * 1_048_576, iterations: 20
  ) {
    let x = spreadInput(count: 1_048_576)
    var y = Tensor(zeros: [1_048_576])
    return { Elementwise.apply(.tanh, x.floats, y.mutableFloats(), count: x.count) }
  } }

  /// y = gelu(x) over 1M floats, the heaviest unary kernel; bytes moved = read + write.
  static var elementwiseGelu: Benchmark { Benchmark(
    name: "elementwise_gelu_1m", unit: .gbPerSecond, workPerCall: 8 * 1_048_576, iterations: 20
  ) {
    let x = spreadInput(count: 1_048_576)
    var y = Tensor(zeros: [1_048_576])
    return { Elementwise.apply(.gelu, x.floats, y.mutableFloats(), count: x.count) }
  } }

  /// The sum of 1M contiguous floats; bytes moved = read.
  static var reduceSum: Benchmark { Benchmark(
    name: "reduce_sum_1m", unit: .gbPerSecond, workPerCall: 4 * 1_048_576, iterations: 50
  ) {
    let x = spreadInput(count: 1_048_576)
    var y = Tensor(zeros: [1])
    return { Reduction.reduce(.sum, x.floats, outer: 1, extent: x.count, inner: 1, into: y.mutableFloats()) }
  } }

  /// Softmax over the rows of a [1024, 1024] matrix; bytes moved = read + write.
  static var softmaxRows: Benchmark { Benchmark(
    name: "softmax_1024x1024", unit: .gbPerSecond, workPerCall: 8 * 1_048_576, iterations: 20
  ) {
    let x = spreadInput(count: 1_048_576)
    var y = Tensor(zeros: [1_048_576])
    return { Softmax.softmax(x.floats, y.mutableFloats(), rows: 1024, cols: 1024) }
  } }
}
