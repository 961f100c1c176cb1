import Core
import Optim

/// Benchmarks of the optimizer layer and the random number generator.
extension BenchmarkSuite {
  static var optim: [Benchmark] {
    [adamStep, sgdMomentumStep, philoxNormal, orthogonalInit]
  }

  /// One AdamW step over 1M parameters; bytes moved = read p, g, m, v + write p, m, v.
  static var adamStep: Benchmark { Benchmark(
    name: "adamw_step_1m", unit: .gbPerSecond, workPerCall: 7 * 4 * 1_048_576, iterations: 20
  ) {
    var optimizer = try AdamW(learningRate: 1e-3)
    var rng = Philox(seed: 0)
    var parameters = [Tensor.normal(shape: [1024, 1024], rng: &rng)]
    let gradients = [Tensor.normal(shape: [1024, 1024], std: 0.01, rng: &rng)]
    try optimizer.step(parameters: &parameters, gradients: gradients)
    return {
      do { try optimizer.step(parameters: &parameters, gradients: gradients) } catch {
        preconditionFailure("adamw_step_1m: \(error)")  // shapes fixed above; cannot happen
      }
    }
  } }

  /// One SGD step with Nesterov momentum over 1M parameters; bytes = read p, g, b + write p, b.
  static var sgdMomentumStep: Benchmark { Benchmark(
    name: "sgd_nesterov_step_1m", unit: .gbPerSecond, workPerCall: 5 * 4 * 1_048_576, iterations: 20
  ) {
    var optimizer = try SGD(learningRate: 1e-2, momentum: 0.9, nesterov: true)
    var rng = Philox(seed: 0)
    var parameters = [Tensor.normal(shape: [1024, 1024], rng: &rng)]
    let gradients = [Tensor.normal(shape: [1024, 1024], std: 0.01, rng: &rng)]
    try optimizer.step(parameters: &parameters, gradients: gradients)
    return {
      do { try optimizer.step(parameters: &parameters, gradients: gradients) } catch {
        preconditionFailure("sgd_nesterov_step_1m: \(error)")  // shapes fixed above; cannot happen
      }
    }
  } }

  /// 1M standard normal draws from Philox into a buffer.
  static var philoxNormal: Benchmark { Benchmark(
    name: "philox_normal_1m", unit: .milliseconds, workPerCall: 0, iterations: 10
  ) {
    var rng = Philox(seed: 0)
    var buffer = Tensor(zeros: [1_048_576])
    return { rng.fill(normal: buffer.mutableFloats(), count: 1_048_576) }
  } }

  /// Orthogonal initialization of CleanRL's Atari dense layer, weight [512, 3136].
  static var orthogonalInit: Benchmark { Benchmark(
    name: "orthogonal_init_512x3136", unit: .milliseconds, workPerCall: 0, iterations: 1
  ) {
    var rng = Philox(seed: 0)
    let initializer = Initializer.orthogonal(gain: Float(2).squareRoot())
    _ = try initializer.tensor(shape: [512, 3136], rng: &rng)
    return {
      do { _ = try initializer.tensor(shape: [512, 3136], rng: &rng) } catch {
        preconditionFailure("orthogonal_init_512x3136: \(error)")  // fixed valid shape; cannot happen
      }
    }
  } }
}
