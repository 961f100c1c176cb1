import Core

/// Every benchmark `porecipe bench` knows, in the order it prints them.
enum BenchmarkSuite {
  static var all: [Benchmark] {
    [elementwiseExp, mlpForwardBackward, transformerForwardBackward] + elementwise
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

extension BenchmarkSuite {
  /// Forward + backward of the 4→64→64→3 tanh MLP on a minibatch of 128.
  static var mlpForwardBackward: Benchmark {
    Benchmark(name: "mlp_fwd_bwd", unit: .microseconds, workPerCall: 0, iterations: 2000, setUp: {
      let model = try BenchModels.mlp()
      return { _ = try? model.executable.run(model.inputs) }
    }, plan: { "\(try BenchModels.mlp().executable)" })
  }

  /// Forward + backward of the 413k-parameter char transformer on 32 × 64 tokens.
  static var transformerForwardBackward: Benchmark {
    Benchmark(name: "transformer_fwd_bwd", unit: .milliseconds, workPerCall: 0, iterations: 3, setUp: {
      let model = try BenchModels.transformer()
      return { _ = try? model.executable.run(model.inputs) }
    }, plan: { "\(try BenchModels.transformer().executable)" })
  }
}
