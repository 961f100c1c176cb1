import Core
import Runtime
import Testing

@Suite struct TrainerTests {
  /// CleanRL's hyperparameters on a small run: 4 envs × 32 steps, 4 iterations.
  static var small: TrainerConfiguration {
    var c = TrainerConfiguration()
    c.steps = 32
    c.totalSteps = 512
    c.seed = 7
    return c
  }

  func run(_ configuration: TrainerConfiguration) throws -> [IterationMetrics] {
    let trainer = try Trainer(task: "cartpole", configuration: configuration)
    var metrics: [IterationMetrics] = []
    while !trainer.isFinished { metrics.append(try trainer.runIteration()) }
    return metrics
  }

  @Test("a seeded run reproduces its metrics bit for bit")
  func reproducible() throws {
    let first = try run(Self.small), second = try run(Self.small)
    #expect(first.count == 4)
    #expect(first == second)
    #expect(first.last?.envSteps == 512)
    var other = Self.small
    other.seed = 8
    #expect(try run(other) != first)
  }

  @Test("metrics are finite and the schedule anneals the rate per iteration")
  func metrics() throws {
    let metrics = try run(Self.small)
    #expect(metrics.map(\.learningRate) == [2.5e-4, 1.875e-4, 1.25e-4, 6.25e-5].map { Double(Float($0)) })
    for m in metrics {
      #expect(m.updates == 16 && m.epochs == 4)
      #expect(m.pgLoss.isFinite && m.valueLoss > 0 && m.entropy > 0 && m.entropy <= 0.7)
      let fraction = try #require(m.clipFraction)
      #expect(m.approxKL >= 0 && (0...1).contains(fraction))
    }
    #expect(metrics.last?.episodeReturnMean != nil)
  }

  @Test("a tiny target KL stops after the first epoch")
  func targetKL() throws {
    var c = Self.small
    c.targetKL = 1e-12
    let metrics = try run(c)
    #expect(metrics.allSatisfy { $0.epochs == 1 && $0.updates == 4 })
  }

  @Test("impossible configurations and unknown tasks are refused before any work")
  func badConfiguration() {
    var c = Self.small
    c.minibatches = 3
    #expect(throws: RuntimeError.self) { try Trainer(task: "cartpole", configuration: c) }
    #expect(throws: RuntimeError.self) { try Trainer(task: "lunar_lander", configuration: Self.small) }
    c = Self.small
    c.totalSteps = 10
    #expect(throws: RuntimeError.self) { try Trainer(task: "cartpole", configuration: c) }
  }
}
