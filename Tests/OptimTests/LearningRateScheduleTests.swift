import Optim
import Testing
import TestSupport

@Suite struct LearningRateScheduleTests {
  @Test("constant is the same at every step", arguments: [0, 1, 1000])
  func constant(step: Int) {
    #expect(LearningRateSchedule.constant(3e-4).value(at: step) == 3e-4)
  }

  // CleanRL ppo.py, lr 2.5e-4, num_iterations 4: frac = 1 − (iteration − 1)/4 at iteration = step + 1
  // → 2.5e-4 · [1, 0.75, 0.5, 0.25], then held at 0.
  @Test("linear anneals like CleanRL's PPO",
        arguments: zip([0, 1, 2, 3, 4, 9], [2.5e-4, 1.875e-4, 1.25e-4, 0.625e-4, 0, 0] as [Float]))
  func cleanRLAnnealing(step: Int, expected: Float) {
    let schedule = LearningRateSchedule.linear(from: 2.5e-4, to: 0, steps: 4)
    #expect(isClose(schedule.value(at: step), expected, rtol: 1e-6, atol: 1e-12))
  }

  @Test("linear interpolates toward a nonzero end", arguments: zip([0, 5, 10, 20], [1, 0.75, 0.5, 0.5] as [Float]))
  func linearToNonzero(step: Int, expected: Float) {
    #expect(isClose(LearningRateSchedule.linear(from: 1, to: 0.5, steps: 10).value(at: step), expected))
  }

  @Test("matches torch CosineAnnealingLR(T_max=10, eta_min=0.001) at steps 0…10", arguments: 0...10)
  func cosineMatchesTorch(step: Int) {
    let schedule = LearningRateSchedule.cosine(initial: 0.1, minimum: 0.001, steps: 10)
    #expect(isClose(Double(schedule.value(at: step)), TorchRun.cosine[step], rtol: 1e-6, atol: 1e-9))
  }

  @Test("cosine holds the minimum after its last step")
  func cosineHolds() {
    #expect(LearningRateSchedule.cosine(initial: 0.1, minimum: 0.001, steps: 10).value(at: 25) == 0.001)
    #expect(LearningRateSchedule.cosine(initial: 0.1, minimum: 0.001, steps: 0).value(at: 0) == 0.001)
  }

  // warmup(4) then constant 0.1: 0.1 · t/4 for t < 4 → [0, 0.025, 0.05, 0.075], then 0.1.
  @Test("warmup ramps linearly from zero to a constant",
        arguments: zip([0, 1, 2, 3, 4, 100], [0, 0.025, 0.05, 0.075, 0.1, 0.1] as [Float]))
  func warmupConstant(step: Int, expected: Float) {
    let schedule = LearningRateSchedule.warmup(steps: 4, then: .constant(0.1))
    #expect(isClose(schedule.value(at: step), expected, rtol: 1e-6, atol: 1e-9))
  }

  // warmup(2, start 0.5) then cosine(1 → 0 over 4): t=0: 0.5, t=1: 0.75, then cosine at t − 2:
  // t=2: 1, t=3: (1 + cos(π/4))/2 = 0.853553, t=4: 0.5, t=6: 0.
  @Test("warmup composes with cosine annealing",
        arguments: zip([0, 1, 2, 3, 4, 6], [0.5, 0.75, 1, 0.853553, 0.5, 0] as [Float]))
  func warmupCosine(step: Int, expected: Float) {
    let schedule = LearningRateSchedule.warmup(steps: 2, startFactor: 0.5, then: .cosine(initial: 1, minimum: 0, steps: 4))
    #expect(isClose(schedule.value(at: step), expected, rtol: 1e-5, atol: 1e-7))
  }

  @Test("a warmup over 0 steps is the wrapped schedule")
  func emptyWarmup() {
    let schedule = LearningRateSchedule.warmup(steps: 0, then: .linear(from: 1, to: 0, steps: 2))
    #expect(schedule.value(at: 0) == 1 && schedule.value(at: 1) == 0.5)
  }

  @Test("validate rejects negative rates and steps")
  func validation() throws {
    try LearningRateSchedule.warmup(steps: 10, then: .cosine(initial: 1e-3, minimum: 0, steps: 100)).validate()
    #expect(throws: OptimError.invalidHyperparameter(name: "steps", value: -1, reason: "must be ≥ 0")) {
      try LearningRateSchedule.linear(from: 1, to: 0, steps: -1).validate()
    }
    #expect(throws: OptimError.invalidHyperparameter(name: "learningRate", value: -1, reason: "must be a finite number ≥ 0.0")) {
      try LearningRateSchedule.warmup(steps: 1, then: .constant(-1)).validate()
    }
  }
}
