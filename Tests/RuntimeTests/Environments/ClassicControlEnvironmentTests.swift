import Foundation
import Core
import Runtime
import Testing

@Suite struct ClassicControlEnvironmentTests {
  /// Observations after `reset` and `steps` steps of constant action 0, for env `env`.
  func observations<Task: ClassicControlTask>(_ task: Task.Type, count: Int, seed: UInt64, env: Int, steps: Int) throws -> [Float] {
    let environment = ClassicControlEnvironment<Task>(count: count, seed: seed)
    var step = VectorStep(for: environment)
    try environment.reset(into: &step)
    let actions = Task.actionSpace.isDiscrete ? Tensor(zeros: [count], dtype: .int32) : Tensor(zeros: [count, 1])
    var seen: [Float] = []
    for _ in 0..<steps {
      try environment.step(actions: actions, into: &step)
      seen += (0..<Task.observationSize).map { step.observations[flat: env * Task.observationSize + $0] }
    }
    return seen
  }

  @Test("one seed replays exactly; another seed differs")
  func seeding() throws {
    let a = try observations(CartPole.self, count: 4, seed: 3, env: 2, steps: 300)
    #expect(a == (try observations(CartPole.self, count: 4, seed: 3, env: 2, steps: 300)))
    #expect(a != (try observations(CartPole.self, count: 4, seed: 4, env: 2, steps: 300)))
  }

  @Test("an env's episodes depend on its index and the seed, not on how many envs run")
  func independentOfCount() throws {
    let few = try observations(Acrobot.self, count: 2, seed: 9, env: 1, steps: 600)
    #expect(few == (try observations(Acrobot.self, count: 7, seed: 9, env: 1, steps: 600)))
    #expect(few != (try observations(Acrobot.self, count: 7, seed: 9, env: 0, steps: 600)))
  }

  @Test("initial states are drawn from Gymnasium's uniform ranges")
  func initialStates() {
    var rng = Philox(seed: 5)
    for _ in 0..<2000 {
      let cart = CartPole.initialState(rng: &rng)
      #expect((0..<4).allSatisfy { cart[$0] >= -0.05 && cart[$0] < 0.05 })
      let acrobot = Acrobot.initialState(rng: &rng)
      #expect((0..<4).allSatisfy { acrobot[$0] >= -0.1 && acrobot[$0] <= 0.1 && Double(Float(acrobot[$0])) == acrobot[$0] })
      let car = MountainCar.initialState(rng: &rng)
      #expect(car[0] >= -0.6 && car[0] < -0.4 && car[1] == 0)
      let pendulum = Pendulum.initialState(rng: &rng)
      #expect(Swift.abs(pendulum[0]) <= Double.pi && Swift.abs(pendulum[1]) <= 1)
    }
  }

  @Test("on termination the step reports the final observation and flags, then the env starts afresh")
  func autoresetOnTermination() throws {
    let env = CartPoleEnvironment(count: 2, seed: 1)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    let right = Tensor(shape: [2], indices: [1, 1])
    var length = 0
    repeat {
      try env.step(actions: right, into: &step)
      length += 1
    } while !step.terminated[0] && length < 100
    #expect(step.terminated[0] && !step.truncated[0])
    #expect(step.rewards[0] == 1)
    // Pushed right the whole time, the pole falls left: θ beyond −12° in the final observation.
    #expect(step.finalObservations[flat: 2] < -Float(CartPole.thetaThreshold))
    // The returned observation is a fresh start, and the episode's count begins again.
    #expect((0..<4).allSatisfy { Swift.abs(step.observations[flat: $0]) < 0.05 })
    #expect(env.elapsedSteps(of: 0) == 0)
    #expect(env.episodes.finishedCount >= 1)
    #expect(env.episodes.returnMean == Double(length) && env.episodes.lengthMean == Double(length))
  }

  @Test("MountainCar coasting is truncated at exactly 200 steps, not terminated")
  func truncation() throws {
    let env = MountainCarEnvironment(count: 3, seed: 2)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    let coast = Tensor(shape: [3], indices: [1, 1, 1])
    for t in 1...200 {
      try env.step(actions: coast, into: &step)
      #expect(step.truncated.allSatisfy { $0 == (t == 200) })
      #expect(!step.terminated.contains(true))
    }
    #expect(env.episodes.finishedCount == 3)
    #expect(env.episodes.returnMean == -200 && env.episodes.lengthMean == 200)
    // Not done: the next observation is the arrived-at one.
    try env.step(actions: coast, into: &step)
    #expect(step.observations.scalars == step.finalObservations.scalars)
  }

  @Test("Pendulum clips torque to ±2, as Gymnasium")
  func pendulumClipsTorque() throws {
    let env = PendulumEnvironment(count: 2, seed: 4)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    env.setState(of: 0, to: [0.3, -0.2])
    env.setState(of: 1, to: [0.3, -0.2])
    try env.step(actions: Tensor(shape: [2, 1], scalars: [2, 50]), into: &step)
    #expect(env.state(of: 0) == env.state(of: 1))
    #expect(step.rewards[0] == step.rewards[1])
  }

  @Test("bad actions are rejected before any env moves")
  func badActions() throws {
    let env = AcrobotEnvironment(count: 2, seed: 0)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    let before = env.state(of: 0)
    #expect(throws: RuntimeError.invalidAction(environment: "Acrobot-v1", env: 1, value: "3")) {
      try env.step(actions: Tensor(shape: [2], indices: [0, 3]), into: &step)
    }
    #expect(throws: RuntimeError.actionShape(environment: "Acrobot-v1", expected: "i32[2]", got: "f32[2]")) {
      try env.step(actions: Tensor(zeros: [2]), into: &step)
    }
    #expect(env.state(of: 0) == before)
    let pendulum = PendulumEnvironment(count: 1, seed: 0)
    var pendulumStep = VectorStep(for: pendulum)
    try pendulum.reset(into: &pendulumStep)
    #expect(throws: RuntimeError.invalidAction(environment: "Pendulum-v1", env: 0, value: "nan")) {
      try pendulum.step(actions: Tensor(shape: [1, 1], scalars: [.nan]), into: &pendulumStep)
    }
    var wrongSize = VectorStep(count: 3, observationSize: 6)
    #expect(throws: RuntimeError.self) { try env.reset(into: &wrongSize) }
  }
}

@Suite struct EpisodeStatisticsTests {
  @Test("means cover the last 20 finished episodes; running ones do not count")
  func window() {
    var stats = EpisodeStatistics(count: 2)
    #expect(stats.returnMean == nil)
    // Env 0 finishes episodes of length 1 with returns 1, 2, …, 25; env 1 never finishes.
    for episode in 1...25 {
      stats.record(env: 0, reward: Double(episode), isDone: true)
      stats.record(env: 1, reward: 100, isDone: false)
    }
    #expect(stats.finishedCount == 25)
    // Last 20 returns are 6…25: mean (6 + 25) / 2 = 15.5.
    #expect(stats.returnMean == 15.5)
    #expect(stats.lengthMean == 1)
    #expect(stats.runningReturn(env: 1) == 2500 && stats.runningLength(env: 1) == 25)
  }
}

@Suite struct EnvironmentSnapshotTests {
  /// Steps `env` with seeded random actions; returns every observation, reward and flag seen.
  func run(_ env: AcrobotEnvironment, _ step: inout VectorStep, steps: Int, seed: UInt64) throws -> [Float] {
    var rng = Philox(seed: seed)
    var seen: [Float] = []
    for _ in 0..<steps {
      let actions = Tensor(shape: [env.count], indices: (0..<env.count).map { _ in Int32(rng.integer(below: 3)) })
      try env.step(actions: actions, into: &step)
      seen += step.observations.scalars + step.rewards + step.terminated.map { $0 ? 1 : 0 } + step.truncated.map { $0 ? 1 : 0 }
    }
    return seen
  }

  @Test("a snapshot restored into a fresh env (through JSON) continues exactly like the original")
  func roundTrip() throws {
    let original = AcrobotEnvironment(count: 3, seed: 21)
    var step = VectorStep(for: original)
    try original.reset(into: &step)
    _ = try run(original, &step, steps: 450, seed: 1)
    let data = try JSONEncoder().encode(original.snapshot())
    let restored = AcrobotEnvironment(count: 3, seed: 99)
    var restoredStep = step
    try restored.restore(try JSONDecoder().decode(EnvironmentSnapshot.self, from: data))
    #expect(try run(original, &step, steps: 600, seed: 2) == run(restored, &restoredStep, steps: 600, seed: 2))
    #expect(original.episodes == restored.episodes)
    #expect(original.episodes.finishedCount > 0)
  }

  @Test("a snapshot of another task or size is refused and changes nothing")
  func mismatch() throws {
    let cartPole = CartPoleEnvironment(count: 2, seed: 0)
    let acrobot = AcrobotEnvironment(count: 2, seed: 0)
    let before = acrobot.snapshot()
    #expect(throws: RuntimeError.snapshotMismatch(environment: "Acrobot-v1", reason: "it was made by CartPole-v1")) {
      try acrobot.restore(cartPole.snapshot())
    }
    #expect(throws: RuntimeError.self) { try acrobot.restore(AcrobotEnvironment(count: 3, seed: 0).snapshot()) }
    #expect(acrobot.snapshot() == before)
  }
}
