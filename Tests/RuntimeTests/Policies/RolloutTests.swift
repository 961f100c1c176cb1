import Core
import Runtime
import Testing

/// The sampler and the environments fit together without copies: the step's observation
/// tensor goes into the sampler, the sample's action tensor into the next step.
@Suite struct RolloutTests {
  /// Plays `steps` vector steps with a freshly initialized CleanRL-shaped agent.
  func play<Task: ClassicControlTask>(_ env: ClassicControlEnvironment<Task>, steps: Int, seed: UInt64) throws -> EpisodeStatistics {
    let policy = try ActorCritic(observationSize: env.observationSize, actionSpace: env.actionSpace)
    var rng = Philox(seed: seed)
    let parameters = try policy.initialParameters(rng: &rng)
    let sampler = try PolicySampler(policy: policy, count: env.count)
    var step = VectorStep(for: env)
    var sample = PolicySample(policy: policy, count: env.count)
    try env.reset(into: &step)
    for _ in 0..<steps {
      try sampler.sample(observations: step.observations, parameters: parameters, rng: &rng, into: &sample)
      try env.step(actions: sample.actions, into: &step)
    }
    return env.episodes
  }

  @Test("a freshly initialized CartPole agent plays whole episodes of random-policy length")
  func cartPole() throws {
    let episodes = try play(CartPoleEnvironment(count: 4, seed: 1), steps: 1000, seed: 2)
    // A near-uniform policy lasts ~22 steps on average on CartPole.
    let mean = try #require(episodes.returnMean)
    #expect(episodes.finishedCount > 100)
    #expect(mean > 10 && mean < 40)
    #expect(episodes.lengthMean == mean)
  }

  @Test("a Gaussian agent drives Pendulum for two whole episodes per env")
  func pendulum() throws {
    let episodes = try play(PendulumEnvironment(count: 2, seed: 3), steps: 400, seed: 4)
    #expect(episodes.finishedCount == 4)
    #expect(episodes.lengthMean == 200)
    // A step costs at most π² + 0.1·8² + 0.001·2² ≈ 16.27, so a return lies in [−3254, 0].
    let mean = try #require(episodes.returnMean)
    #expect(mean < 0 && mean > -3260)
  }
}
