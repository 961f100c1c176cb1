import Foundation
import Runtime
import Testing
import TestSupport

/// The a2c and ppo_penalty policy terms of the trainer, and PPO's adaptive-KL rule.
@Suite struct TrainerObjectiveTests {
  /// a2c on CartPole: 8 envs × 5 steps, one update per rollout, λ = 1 (5-step returns), 20 iterations.
  static var a2c: TrainerConfiguration {
    var c = TrainerConfiguration()
    c.policyTerm = .a2c
    (c.clipLow, c.clipHigh, c.valueClip) = (nil, nil, nil)
    (c.envs, c.steps, c.epochs, c.minibatches) = (8, 5, 1, 1)
    (c.lambda, c.normalization, c.entropyCoefficient, c.learningRate) = (1, .none, 0, 7e-4)
    c.totalSteps = 800
    c.seed = 5
    return c
  }

  /// ppo_penalty: ppo's small run with the clip replaced by β·KL, lr 1e-3.
  static var penalty: TrainerConfiguration {
    var c = TrainerTests.small
    c.policyTerm = .ppoPenalty
    (c.clipLow, c.clipHigh) = (nil, nil)
    c.learningRate = 1e-3
    c.totalSteps = 1024
    return c
  }

  /// mdpo: ppo's small run with the clip replaced by the annealed (1/t_k)·KL(π ‖ π_k).
  static var mdpo: TrainerConfiguration {
    var c = TrainerTests.small
    c.policyTerm = .mdpo
    (c.clipLow, c.clipHigh) = (nil, nil)
    c.totalSteps = 1024
    return c
  }

  func run(_ configuration: TrainerConfiguration) throws -> [IterationMetrics] {
    let trainer = try Trainer(task: "cartpole", configuration: configuration)
    var metrics: [IterationMetrics] = []
    while !trainer.isFinished { metrics.append(try trainer.runIteration()) }
    return metrics
  }

  @Test("the adaptive β: halved below target/1.5, doubled above 1.5·target, kept between, bounded")
  func adaptiveRule() {
    let rule = Trainer.adaptedKLCoefficient
    #expect(rule(1, 0.001, 0.01) == 0.5)
    #expect(rule(1, 0.0066, 0.01) == 0.5)  // 0.0066 < 0.01/1.5 = 0.00667
    #expect(rule(1, 0.0067, 0.01) == 1)
    #expect(rule(1, 0.01, 0.01) == 1)
    #expect(rule(1, 0.015, 0.01) == 1)  // not above 1.5·target
    #expect(rule(1, 0.0151, 0.01) == 2)
    #expect(rule(0.25, 0.2, 0.01) == 0.5)
    #expect(rule(3, 0, 0.003) == 1.5)
    #expect(rule(0x1p-20, 0, 0.01) == 0x1p-20)
    #expect(rule(0x1p20, 1, 0.01) == 0x1p20)
  }

  @Test("a2c: a seeded run reproduces its metrics bit for bit; one update per rollout, no ratio, no β")
  func a2cReproducible() throws {
    let first = try run(Self.a2c), second = try run(Self.a2c)
    #expect(first.count == 20)
    #expect(first == second)
    for m in first {
      #expect(m.updates == 1 && m.epochs == 1 && m.klCoefficient == nil)
      // One step on the rollout's own policy: ρ ≡ 1 up to the rounding of two forward passes.
      #expect(abs(m.approxKL) < 1e-5 && m.clipFraction == nil)
      #expect(m.pgLoss.isFinite && m.valueLoss > 0 && m.entropy > 0)
    }
    var other = Self.a2c
    other.seed = 6
    #expect(try run(other) != first)
  }

  @Test("ppo_penalty: a seeded run reproduces bit for bit; β starts at beta_init and moves by halvings and doublings")
  func penaltyReproducible() throws {
    let first = try run(Self.penalty), second = try run(Self.penalty)
    #expect(first.count == 8)
    #expect(first == second)
    let betas = first.compactMap(\.klCoefficient)
    #expect(betas.count == 8 && betas.first == 1)
    for (a, b) in zip(betas, betas.dropFirst()) { #expect([a / 2, a, a * 2].contains(b)) }
    #expect(betas.contains { $0 != 1 })
    #expect(first.allSatisfy { $0.clipFraction == nil && $0.updates == 16 })
  }

  @Test("ppo_penalty: β is checkpointed; a restored run continues bit for bit")
  func penaltyResume() throws {
    let configuration = Self.penalty
    let uninterrupted = try Trainer(task: "cartpole", configuration: configuration)
    var expected: [IterationMetrics] = []
    while !uninterrupted.isFinished { expected.append(try uninterrupted.runIteration()) }

    let first = try Trainer(task: "cartpole", configuration: configuration)
    var got = [try first.runIteration(), try first.runIteration(), try first.runIteration()]
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent("3")
    try first.checkpoint().write(to: directory)
    let saved = try TrainerCheckpoint.read(from: directory)
    #expect(saved.state.klCoefficient == first.klCoefficient)

    let second = try Trainer(task: "cartpole", configuration: configuration)
    try second.restore(state: saved.state, parameters: saved.parameters, moments: saved.moments)
    #expect(second.klCoefficient == first.klCoefficient)
    while !second.isFinished { got.append(try second.runIteration()) }
    #expect(got == expected)
    #expect(second.klCoefficient == uninterrupted.klCoefficient)
  }

  @Test("mdpo's KL weight 1/t_k, t_k = 1 − k/K: 1 at the start, growing, capped at 100; constant stays 1")
  func mirrorDescentSchedule() {
    let w = Trainer.mirrorDescentKLCoefficient
    #expect(w(0, 10, true) == 1)
    #expect(w(5, 10, true) == 2)
    #expect(w(8, 10, true) == 1 / (1 - 0.8))
    #expect(w(9, 10, true) == 1 / (1 - 0.9))
    #expect(w(10, 10, true) == 100)  // t_K = 0: capped
    #expect(abs(w(990, 1000, true) - 100) < 1e-9)  // t = 0.01: at the cap
    #expect(w(991, 1000, true) == 100)
    #expect(w(989, 1000, true) == 1 / (1 - 0.989))
    #expect(w(999, 1000, true) == 100)
    #expect(w(0, 1, true) == 1)
    for k in 0...10 { #expect(w(k, 10, false) == 1) }
    #expect(Trainer.mirrorDescentKLCap == 100)
  }

  @Test("mdpo: a seeded run reproduces bit for bit; kl_coef follows 1/t_k; checkpointed and restored")
  func mdpoReproducible() throws {
    let first = try run(Self.mdpo), second = try run(Self.mdpo)
    #expect(first.count == 8)
    #expect(first == second)
    let schedule: [Double?] = (0..<8).map { (k: Int) -> Double? in 1 / (1 - Double(k) / 8) }
    #expect(first.map(\.klCoefficient) == schedule)
    #expect(first.allSatisfy { $0.clipFraction == nil && $0.updates == 16 && $0.pgLoss.isFinite })

    let trainer = try Trainer(task: "cartpole", configuration: Self.mdpo)
    var got = [try trainer.runIteration(), try trainer.runIteration(), try trainer.runIteration()]
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent("3")
    try trainer.checkpoint().write(to: directory)
    let saved = try TrainerCheckpoint.read(from: directory)
    let expectedWeight: Double = 1 / (1 - 3.0 / 8)
    #expect(saved.state.klCoefficient == expectedWeight)
    let resumed = try Trainer(task: "cartpole", configuration: Self.mdpo)
    try resumed.restore(state: saved.state, parameters: saved.parameters, moments: saved.moments)
    #expect(resumed.klCoefficient == trainer.klCoefficient)
    while !resumed.isFinished { got.append(try resumed.runIteration()) }
    #expect(got == first)
  }

  @Test("ppo_penalty needs a positive target and beta_init")
  func badPenalty() {
    var c = Self.penalty
    c.klTarget = 0
    #expect(throws: RuntimeError.self) { try Trainer(task: "cartpole", configuration: c) }
  }
}

@Suite struct TrainerConfigurationCodingTests {
  @Test("configurations round-trip through JSON; one written before policyTerm existed reads as the surrogate")
  func coding() throws {
    for configuration in [TrainerConfiguration(), TrainerTests.small, TrainerObjectiveTests.a2c, TrainerObjectiveTests.penalty, TrainerObjectiveTests.mdpo] {
      let data = try JSONEncoder().encode(configuration)
      #expect(try JSONDecoder().decode(TrainerConfiguration.self, from: data) == configuration)
    }
    var old = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainerTests.small)) as? [String: Any])
    for key in ["policyTerm", "klTarget", "klCoefficientInit", "mdpoAnneal"] { #expect(old.removeValue(forKey: key) != nil) }
    let decoded = try JSONDecoder().decode(TrainerConfiguration.self, from: JSONSerialization.data(withJSONObject: old))
    #expect(decoded == TrainerTests.small)
  }
}
