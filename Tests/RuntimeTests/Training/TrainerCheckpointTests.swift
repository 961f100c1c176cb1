import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct TrainerCheckpointTests {
  /// Pendulum with `rollout.normalize` on: 4 envs × 64 steps, 4 iterations (episodes of
  /// 200 steps end inside the run, so truncation bootstraps and G restarts are covered).
  static var normalizedPendulum: TrainerConfiguration {
    var c = TrainerConfiguration()
    c.steps = 64
    c.totalSteps = 1024
    c.seed = 5
    c.gamma = 0.9
    c.normalizesObservations = true
    c.scalesRewards = true
    return c
  }

  /// The same with gSDE, its noise redrawn every 4 steps.
  static var stateDependentPendulum: TrainerConfiguration {
    var c = normalizedPendulum
    c.stateDependentExploration = true
    c.sdeSampleFrequency = 4
    return c
  }

  @Test("a checkpoint written after 2 iterations and restored into a fresh trainer continues bit for bit",
        arguments: zip(["cartpole", "pendulum", "pendulum"], [TrainerTests.small, normalizedPendulum, stateDependentPendulum]))
  func resume(task: String, configuration: TrainerConfiguration) throws {
    let uninterrupted = try Trainer(task: task, configuration: configuration)
    var expected: [IterationMetrics] = []
    while !uninterrupted.isFinished { expected.append(try uninterrupted.runIteration()) }

    let first = try Trainer(task: task, configuration: configuration)
    var got = [try first.runIteration(), try first.runIteration()]
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent("2")
    try first.checkpoint().write(to: directory)
    let saved = try TrainerCheckpoint.read(from: directory)
    #expect(saved.state.iteration == 2)

    let second = try Trainer(task: task, configuration: configuration)
    try second.restore(state: saved.state, parameters: saved.parameters, moments: saved.moments)
    while !second.isFinished { got.append(try second.runIteration()) }
    #expect(got == expected)
    #expect(second.parameters.map(\.scalars) == uninterrupted.parameters.map(\.scalars))
    #expect(second.normalization == uninterrupted.normalization)
  }

  @Test("a checkpoint of another configuration, or a corrupt one, is refused and changes nothing")
  func mismatch() throws {
    let trainer = try Trainer(task: "cartpole", configuration: TrainerTests.small)
    try trainer.runIteration()
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent("1")
    try trainer.checkpoint().write(to: directory)
    let saved = try TrainerCheckpoint.read(from: directory)
    var other = TrainerTests.small
    other.seed = 99
    let fresh = try Trainer(task: "cartpole", configuration: other)
    #expect(throws: RuntimeError.self) { try fresh.restore(state: saved.state, parameters: saved.parameters, moments: saved.moments) }
    #expect(fresh.iteration == 0)
    try Data("{\"x\":".utf8).write(to: directory.appendingPathComponent("model.safetensors"))
    #expect(throws: RuntimeError.self) { try TrainerCheckpoint.read(from: directory) }
  }
}
