import Core
import Foundation
import Graph
import Runtime
import Testing
import TestSupport

@Suite struct PolicySamplerTests {
  /// Parameters with every weight zero, so the head is its bias and the value the value bias.
  func biasOnly(_ policy: ActorCritic, head: [Float], value: Float, logStd: [Float] = []) -> [Tensor] {
    policy.parameters.map { p in
      switch p.name {
      case "actor.head.b", "policy.b": Tensor(shape: p.shape, scalars: head)
      case "critic.head.b", "value.b": Tensor(shape: p.shape, scalars: [value])
      case "log_std": Tensor(shape: p.shape, scalars: logStd)
      default: Tensor(zeros: p.shape)
      }
    }
  }

  @Test("categorical draws follow softmax(logits); log-probs and values are reported")
  func categoricalFrequencies() throws {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 3))
    let probabilities: [Double] = [0.2, 0.3, 0.5]
    let parameters = biasOnly(policy, head: probabilities.map { Float(Foundation.log($0)) }, value: 0.75)
    let sampler = try PolicySampler(policy: policy, count: 500)
    var sample = PolicySample(policy: policy, count: 500)
    var rng = Philox(seed: 3)
    var counts = [0, 0, 0]
    let observations = Tensor(repeating: 0.1, shape: [500, 4])
    for _ in 0..<20 {
      try sampler.sample(observations: observations, parameters: parameters, rng: &rng, into: &sample)
      for a in sample.actions.indices { counts[Int(a)] += 1 }
      for (a, logp) in zip(sample.actions.indices, sample.logProbs.scalars) {
        #expect(isClose(Double(logp), Foundation.log(probabilities[Int(a)]), rtol: 1e-5))
      }
      #expect(sample.values.scalars.allSatisfy { $0 == 0.75 })
    }
    // 10,000 draws: each frequency within 4 standard deviations √(p(1−p)/n) ≤ 0.005.
    for (count, p) in zip(counts, probabilities) {
      #expect(Swift.abs(Double(count) / 10_000 - p) < 4 * (p * (1 - p) / 10_000).squareRoot())
    }
  }

  @Test("Gaussian draws have mean μ and std σ; log-probs match the density of the drawn action")
  func gaussianMoments() throws {
    let policy = try ActorCritic(observationSize: 3, actionSpace: .box(low: [-2], high: [2]), trunk: .shared)
    let (mu, logStd) = (0.7, Foundation.log(0.5))
    let parameters = biasOnly(policy, head: [Float(mu)], value: -1, logStd: [Float(logStd)])
    let sampler = try PolicySampler(policy: policy, count: 1000)
    var sample = PolicySample(policy: policy, count: 1000)
    var rng = Philox(seed: 4)
    var draws: [Double] = []
    for _ in 0..<10 {
      try sampler.sample(observations: Tensor(zeros: [1000, 3]), parameters: parameters, rng: &rng, into: &sample)
      for (a, logp) in zip(sample.actions.scalars, sample.logProbs.scalars) {
        let z = (Double(a) - mu) / 0.5
        #expect(isClose(Double(logp), -0.5 * z * z - logStd - 0.5 * Foundation.log(2 * Double.pi), rtol: 1e-4, atol: 1e-5))
        draws.append(Double(a))
      }
    }
    let mean = draws.reduce(0, +) / Double(draws.count)
    let std = (draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)).squareRoot()
    // 10,000 draws: the mean's standard error is 0.005, the std's about 0.0035.
    #expect(Swift.abs(mean - mu) < 0.02)
    #expect(Swift.abs(std - 0.5) < 0.015)
    #expect(sample.values.scalars.allSatisfy { $0 == -1 })
  }

  @Test("one seed gives the same actions; the inference pass matches the Double reference")
  func determinismAndReference() throws {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2))
    var initialization = Philox(seed: 5)
    let parameters = try policy.initialParameters(rng: &initialization)
    let sampler = try PolicySampler(policy: policy, count: 8)
    var random = TestRandom(seed: 6)
    let observations = Tensor(shape: [8, 4], scalars: random.uniforms(32).map(Float.init))
    func draw(_ seed: UInt64) throws -> [Int32] {
      var rng = Philox(seed: seed)
      var sample = PolicySample(policy: policy, count: 8)
      try sampler.sample(observations: observations, parameters: parameters, rng: &rng, into: &sample)
      return sample.actions.indices
    }
    #expect(try draw(7) == draw(7))
    let (head, values) = try sampler.evaluate(observations: observations, parameters: parameters)
    let graph = sampler.executable.graph
    let bound = Dictionary(uniqueKeysWithValues: zip(graph.inputNames, (parameters + [observations]).map(DoubleTensor.init)))
    let expected = try ReferenceInterpreter.evaluate(graph, inputs: bound)
    #expect(firstMismatch(head.scalars.map(Double.init), expected[0].values, rtol: 1e-4, atol: 1e-6) == nil)
    #expect(firstMismatch(values.scalars.map(Double.init), expected[1].values, rtol: 1e-4, atol: 1e-6) == nil)
    var bootstrap = Tensor(zeros: [8])
    try sampler.values(observations: observations, parameters: parameters, into: &bootstrap)
    #expect(bootstrap == values)
  }
}

@Suite struct PolicySamplerErrorTests {
  @Test("buffers or observations of the wrong size are errors, not out-of-bounds writes")
  func wrongSizes() throws {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2), hiddenSizes: [8])
    var rng = Philox(seed: 1)
    let parameters = try policy.initialParameters(rng: &rng)
    let sampler = try PolicySampler(policy: policy, count: 4)
    var small = PolicySample(policy: policy, count: 3)
    #expect(throws: RuntimeError.self) {
      try sampler.sample(observations: Tensor(zeros: [4, 4]), parameters: parameters, rng: &rng, into: &small)
    }
    var sample = PolicySample(policy: policy, count: 4)
    #expect(throws: RuntimeError.self) {
      try sampler.sample(observations: Tensor(zeros: [4, 3]), parameters: parameters, rng: &rng, into: &sample)
    }
    var values = Tensor(zeros: [5])
    #expect(throws: RuntimeError.self) {
      try sampler.values(observations: Tensor(zeros: [4, 4]), parameters: parameters, into: &values)
    }
  }
}
