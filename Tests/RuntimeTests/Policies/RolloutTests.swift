import Core
import Runtime
import Testing

/// The sampler and the environments fit together without copies: the step's observation
/// tensor goes into the sampler, the sample's action tensor into the next step.
@Suite struct RolloutTests {
  @Test("a freshly initialized CartPole agent plays whole episodes of random-policy length")
  func cartPole() throws {
    let env = CartPoleEnvironment(count: 4, seed: 1)
    let policy = try ActorCritic(observationSize: env.observationSize, actionSpace: env.actionSpace)
    var rng = Philox(seed: 2)
    let parameters = try policy.initialParameters(rng: &rng)
    let sampler = try PolicySampler(policy: policy, count: env.count)
    var step = VectorStep(for: env)
    var sample = PolicySample(policy: policy, count: env.count)
    try env.reset(into: &step)
    for _ in 0..<1000 {
      try sampler.sample(observations: step.observations, parameters: parameters, rng: &rng, into: &sample)
      try env.step(actions: sample.actions, into: &step)
    }
    // A near-uniform policy lasts ~22 steps on average on CartPole.
    let mean = try #require(env.episodes.returnMean)
    #expect(env.episodes.finishedCount > 100)
    #expect(mean > 10 && mean < 40)
    #expect(env.episodes.lengthMean == mean)
  }

  @Test("a Gaussian agent drives Pendulum for two whole episodes per env")
  func pendulum() throws {
    let env = PendulumEnvironment(count: 2, seed: 3)
    let policy = try ActorCritic(observationSize: env.observationSize, actionSpace: env.actionSpace)
    var rng = Philox(seed: 4)
    let parameters = try policy.initialParameters(rng: &rng)
    let sampler = try PolicySampler(policy: policy, count: env.count)
    var step = VectorStep(for: env)
    var sample = PolicySample(policy: policy, count: env.count)
    try env.reset(into: &step)
    for _ in 0..<400 {
      try sampler.sample(observations: step.observations, parameters: parameters, rng: &rng, into: &sample)
      try env.step(actions: sample.actions, into: &step)
    }
    #expect(env.episodes.finishedCount == 4)
    #expect(env.episodes.lengthMean == 200)
    // Each step costs at most π² + 0.1·8² + 0.001·u², so a return lies in (−(9.87 + 6.4 + …)·200, 0].
    let mean = try #require(env.episodes.returnMean)
    #expect(mean < 0 && mean > -3500)
  }
}
