import Core
import Foundation
import Graph
import Runtime
import Testing
import TestSupport

/// gSDE (Raffin et al. 2022): actions μ(s) + z(s)·E_i, σ(s)² = z(s)²·exp(2·log_std) + 1e-6.
@Suite struct StateDependentExplorationTests {
  func policy() throws -> ActorCritic {
    try ActorCritic(observationSize: 3, actionSpace: .box(low: [-2, -2], high: [2, 2]), hiddenSizes: [4], initialLogStd: -0.5,
                    stateDependentExploration: true)
  }

  @Test("the log std is a [h, d] matrix; the training graph's log-probabilities match the sampler's")
  func logProbabilities() throws {
    let policy = try policy()
    #expect(policy.parameters.last?.shape == [4, 2])
    var rng = Philox(seed: 3)
    let parameters = try policy.initialParameters(rng: &rng)
    let count = 6
    var random = TestRandom(seed: 5)
    let observations = Tensor(shape: [count, 3], scalars: random.uniforms(count * 3, -1, 1).map(Float.init))
    let sampler = try PolicySampler(policy: policy, count: count)
    var sample = PolicySample(policy: policy, count: count)
    sampler.resetNoise(parameters: parameters, rng: &rng, into: &sample)
    #expect(sample.explorationMatrices.count == count * 4 * 2)
    try sampler.sample(observations: observations, parameters: parameters, rng: &rng, into: &sample)

    let g = GraphBuilder()
    let values = policy.parameters.map { g.input($0.name, $0.shape) }
    let outputs = policy.forward(g.input("observations", [count, 3]), parameters: values)
    let actions = g.input("actions", [count, 2])
    let logProbs = ActionDistribution.gaussianLogProb(mean: outputs.head, logStd: try #require(outputs.logStd), actions: actions)
    let executable = try Planner.plan(try g.build(outputs: [logProbs]))
    let expected = try executable.run(parameters + [observations, sample.actions])[0].scalars
    for (got, want) in zip(sample.logProbs.scalars, expected) { #expect(isClose(got, want, rtol: 1e-4, atol: 1e-5)) }
  }

  @Test("one state under many noise matrices: actions have variance z²·exp(2·log_std) per dimension")
  func variance() throws {
    let policy = try policy()
    var rng = Philox(seed: 9)
    let parameters = try policy.initialParameters(rng: &rng)
    let count = 4000
    let observations = Tensor(shape: [count, 3], scalars: [Float](repeating: 0.5, count: count * 3))
    let sampler = try PolicySampler(policy: policy, count: count)
    var sample = PolicySample(policy: policy, count: count)
    sampler.resetNoise(parameters: parameters, rng: &rng, into: &sample)
    try sampler.sample(observations: observations, parameters: parameters, rng: &rng, into: &sample)
    let (head, _) = try sampler.evaluate(observations: observations, parameters: parameters)
    // z(s) = tanh(s·W₀ + b₀) of the actor's one hidden layer.
    let w = parameters[0].scalars, b = parameters[1].scalars
    let z = (0..<4).map { j in Foundation.tanh((0..<3).map { 0.5 * Double(w[$0 * 4 + j]) }.reduce(Double(b[j]), +)) }
    for k in 0..<2 {
      let deviations = (0..<count).map { Double(sample.actions.scalars[$0 * 2 + k] - head.scalars[$0 * 2 + k]) }
      let variance = deviations.map { $0 * $0 }.reduce(0, +) / Double(count)
      let expected = (0..<4).map { z[$0] * z[$0] * Foundation.exp(2 * -0.5) }.reduce(0, +)
      // 4,000 draws of a normal: the variance's relative standard error is sqrt(2/4000) ≈ 2.2%.
      #expect(Swift.abs(variance / expected - 1) < 0.1, "dimension \(k): \(variance) vs \(expected)")
    }
  }
}
