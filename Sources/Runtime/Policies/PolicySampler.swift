import Core
import Foundation
import Graph

/// Actions, their log-probabilities and the values for N observations, in buffers made once.
public struct PolicySample {
  /// int32 `[N]` (categorical) or float32 `[N, d]` (Gaussian, unclipped; the environment clips).
  public var actions: Tensor
  /// `[N]`: log π(a | s) of the sampled actions, summed over dimensions for a Gaussian.
  public var logProbs: Tensor
  /// `[N]`: the critic's V(s).
  public var values: Tensor
  /// gSDE's noise matrices E_i `[N, h, d]`, one per env, redrawn by
  /// `PolicySampler.resetNoise`; empty for other heads.
  public var explorationMatrices: [Float]

  /// Zeroed buffers for `count` observations of `policy`.
  public init(policy: ActorCritic, count: Int) {
    actions = policy.isGaussian ? Tensor(zeros: [count, policy.actionSpace.width]) : Tensor(zeros: [count], dtype: .int32)
    logProbs = Tensor(zeros: [count])
    values = Tensor(zeros: [count])
    explorationMatrices = [Float](repeating: 0, count: policy.isStateDependent ? count * policy.explorationFeatures * policy.actionSpace.width : 0)
  }
}

/// The policy's inference pass for a fixed batch of N observations (a planned graph), and a
/// seeded sampler on the CPU that draws actions from its outputs.
///
///     let sampler = try PolicySampler(policy: policy, count: 64)
///     var sample = PolicySample(policy: policy, count: 64)
///     try sampler.sample(observations: step.observations, parameters: parameters, rng: &rng, into: &sample)
///
/// Draws: a categorical action takes two Philox words per row (`Philox.categorical(logits:)`),
/// a Gaussian one two words per dimension (`Philox.normal()`, a = μ + σ·ε), rows in order.
/// Log-probabilities are computed in `Double` from the same logits / ε.
public final class PolicySampler {
  public let policy: ActorCritic
  /// N, the batch the executable was planned for.
  public let count: Int
  /// Inputs: the parameters (in `policy.parameters` order), then `observations` `[N, obs]`.
  /// Outputs: the head (`[N, n]` logits or `[N, d]` means), then values `[N]` (and, with gSDE,
  /// the log std `[N, d]` and the features z `[N, h]`).
  public let executable: Executable
  private var inputs: [Tensor] = []

  /// Plans the inference graph for `count` observations.
  public init(policy: ActorCritic, count: Int) throws(RuntimeError) {
    guard count > 0 else { throw .invalidPolicy(reason: "a sampler needs at least one observation, got \(count)") }
    self.policy = policy
    self.count = count
    let g = GraphBuilder()
    let parameters = policy.parameters.map { g.input($0.name, $0.shape) }
    let observations = g.input("observations", [count, policy.observationSize])
    let outputs = policy.forward(observations, parameters: parameters)
    do {
      let exploration = policy.isStateDependent ? [outputs.logStd, outputs.explorationFeatures].compactMap { $0 } : []
      executable = try Planner.plan(try g.build(outputs: [outputs.head, outputs.values] + exploration))
    } catch {
      throw .graph(error)
    }
    inputs.reserveCapacity(parameters.count + 1)
  }

  /// The head and values for `observations` `[N, obs]` (copies, safe to keep).
  public func evaluate(observations: Tensor, parameters: [Tensor]) throws(RuntimeError) -> (head: Tensor, values: Tensor) {
    let outputs = try run(observations, parameters)
    return (Tensor(shape: outputs[0].shape, scalars: outputs[0].scalars), Tensor(shape: outputs[1].shape, scalars: outputs[1].scalars))
  }

  /// Writes V(s) for `observations` `[N, obs]` into `values` `[N]` without sampling: the
  /// bootstrap values of a rollout's last observations or of truncated episodes' final ones.
  public func values(observations: Tensor, parameters: [Tensor], into values: inout Tensor) throws(RuntimeError) {
    guard values.rank == 1, values.count == count, values.dtype == .float32 else {
      throw .invalidPolicy(reason: "values must be float32 [\(count)], got \(values.dtype)\(values.shape)")
    }
    let outputs = try run(observations, parameters)
    values.mutableFloats().update(from: outputs[1].floats, count: count)
  }

  /// Runs the network on `observations` and draws one action per row into `sample`.
  ///
  /// - Throws: `RuntimeError.graph` for tensors of the wrong shape, `.core` for NaN logits.
  public func sample(observations: Tensor, parameters: [Tensor], rng: inout Philox,
                     into sample: inout PolicySample) throws(RuntimeError) {
    let width = policy.actionSpace.width
    guard sample.logProbs.count == count, sample.values.count == count,
          sample.actions.count == (policy.isGaussian ? count * width : count),
          sample.actions.dtype == (policy.isGaussian ? .float32 : .int32) else {
      throw .invalidPolicy(reason: "sample buffers are not for \(count) observations of this policy; make them with PolicySample(policy:count:)")
    }
    let outputs = try run(observations, parameters)
    let head = outputs[0].floats
    sample.values.mutableFloats().update(from: outputs[1].floats, count: count)
    let logProbs = sample.logProbs.mutableFloats()
    if policy.isStateDependent {
      sampleStateDependent(outputs, sample: &sample)
    } else if policy.isGaussian {
      let logStd = parameters[parameters.count - 1].floats
      let actions = sample.actions.mutableFloats()
      for i in 0..<count {
        var logProb = 0.0
        for k in 0..<width {
          let epsilon = rng.normal()
          actions[i * width + k] = head[i * width + k] + Foundation.exp(logStd[k]) * epsilon
          logProb += -0.5 * Double(epsilon) * Double(epsilon) - Double(logStd[k]) - 0.5 * Foundation.log(2 * Double.pi)
        }
        logProbs[i] = Float(logProb)
      }
    } else {
      let actions = sample.actions.mutableInt32s()
      for i in 0..<count {
        let row = UnsafeBufferPointer(start: head + i * width, count: width)
        let action: Int
        do { action = try rng.categorical(logits: row) } catch { throw .core(error) }
        actions[i] = Int32(action)
        logProbs[i] = Float(Self.logSoftmax(row, at: action))
      }
    }
  }

  /// gSDE: a = μ + z·E_i per env i, log-probability under N(μ, σ(s)²) in `Double`.
  private func sampleStateDependent(_ outputs: [Tensor], sample: inout PolicySample) {
    let width = policy.actionSpace.width, h = policy.explorationFeatures
    let mean = outputs[0].floats, logStd = outputs[2].floats, z = outputs[3].floats
    let actions = sample.actions.mutableFloats(), logProbs = sample.logProbs.mutableFloats()
    sample.explorationMatrices.withUnsafeBufferPointer { e in
      for i in 0..<count {
        var logProb = 0.0
        for k in 0..<width {
          var noise = 0.0
          for j in 0..<h { noise += Double(z[i * h + j]) * Double(e[(i * h + j) * width + k]) }
          actions[i * width + k] = mean[i * width + k] + Float(noise)
          let scaled = noise / Foundation.exp(Double(logStd[i * width + k]))
          logProb += -0.5 * scaled * scaled - Double(logStd[i * width + k]) - 0.5 * Foundation.log(2 * Double.pi)
        }
        logProbs[i] = Float(logProb)
      }
    }
  }

  /// gSDE: redraws each env's noise matrix E_i[j, k] = ε·exp(log_std[j, k]) from `rng`
  /// (rows i, j, k in order); a no-op for other heads.
  public func resetNoise(parameters: [Tensor], rng: inout Philox, into sample: inout PolicySample) {
    guard policy.isStateDependent else { return }
    let logStd = parameters[parameters.count - 1].floats
    let size = policy.explorationFeatures * policy.actionSpace.width
    for i in 0..<count {
      for m in 0..<size { sample.explorationMatrices[i * size + m] = rng.normal() * Foundation.exp(logStd[m]) }
    }
  }

  /// log softmax(row)[index] in `Double`.
  static func logSoftmax(_ row: UnsafeBufferPointer<Float>, at index: Int) -> Double {
    let maximum = Double(row.max() ?? 0)
    var total = 0.0
    for logit in row { total += Foundation.exp(Double(logit) - maximum) }
    return Double(row[index]) - maximum - Foundation.log(total)
  }

  /// Runs the executable without keeping references to the caller's tensors afterwards
  /// (so environments and optimizers can keep writing them in place).
  private func run(_ observations: Tensor, _ parameters: [Tensor]) throws(RuntimeError) -> [Tensor] {
    defer { inputs.removeAll(keepingCapacity: true) }
    inputs.append(contentsOf: parameters)
    inputs.append(observations)
    do { return try executable.run(inputs) } catch { throw .graph(error) }
  }
}
