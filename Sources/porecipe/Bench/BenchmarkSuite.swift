import Core
import Optim

/// Every benchmark `porecipe bench` knows, in the order it prints them.
enum BenchmarkSuite {
  static var all: [Benchmark] {
    matmul + [elementwiseExp] + elementwise + [mlpForwardBackward, mlpAdamStep, transformerForwardBackward] + optim + check + eval
      + runtime + tokens + tokenTraining
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
    }, plan: { try BenchModels.mlp().profiledPlan() })
  }

  /// Forward + backward of the 413k-parameter char transformer on 32 × 64 tokens.
  static var transformerForwardBackward: Benchmark {
    Benchmark(name: "transformer_fwd_bwd", unit: .milliseconds, workPerCall: 0, iterations: 3, setUp: {
      let model = try BenchModels.transformer()
      return { _ = try? model.executable.run(model.inputs) }
    }, plan: { try BenchModels.transformer().profiledPlan() })
  }
}

extension BenchmarkSuite {
  /// Forward + backward + Adam of the 4→64→64→3 tanh MLP on a minibatch of 128: one
  /// training step as a trainer runs it (PyTorch on this machine: ~515 µs).
  static var mlpAdamStep: Benchmark {
    Benchmark(name: "mlp_adam_step", unit: .microseconds, workPerCall: 0, iterations: 2000, setUp: {
      let model = try BenchModels.mlp()
      let batch = Array(model.inputs.dropLast(model.parameterCount))
      var parameters = Array(model.parameters)
      var optimizer = try Adam(learningRate: 1e-3)
      var inputs: [Tensor] = []
      inputs.reserveCapacity(model.inputs.count)
      return {
        inputs.append(contentsOf: batch)
        inputs.append(contentsOf: parameters)
        guard let outputs = try? model.executable.run(inputs) else { preconditionFailure("mlp_adam_step: run failed") }
        // Drop the executable's references so the optimizer updates the parameters in place.
        inputs.removeAll(keepingCapacity: true)
        do { try optimizer.step(parameters: &parameters, gradients: Array(outputs.dropFirst())) } catch {
          preconditionFailure("mlp_adam_step: \(error)")  // shapes fixed by the model; cannot happen
        }
      }
    }, plan: { try BenchModels.mlp().profiledPlan() })
  }
}
