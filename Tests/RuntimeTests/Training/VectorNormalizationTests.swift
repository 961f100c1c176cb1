import Core
import Runtime
import Testing
import TestSupport

@Suite struct RunningMomentsTests {
  // From count 0: [1, 3] then [5] merge to the moments of [1, 3, 5]: mean 3, population
  // variance ((−2)² + 0² + 2²)/3 = 8/3.
  @Test("two batches merge to the moments of their concatenation")
  func merge() {
    var moments = RunningMoments(size: 1, count: 0)
    let first: [Double] = [1, 3], second: [Double] = [5]
    moments.update(rows: 2) { r, _ in first[r] }
    moments.update(rows: 1) { r, _ in second[r] }
    #expect(isClose(moments.mean[0], 3, rtol: 1e-12))
    #expect(isClose(moments.variance[0], 8.0 / 3, rtol: 1e-12))
    #expect(moments.count == 3)
  }

  // SB3's start (mean 0, var 1, count 1e-4) and a batch [1, 3] (mean 2, var 1, n 2):
  // n' = 2.0001, mean = 2·2/2.0001, var = (1·1e-4 + 1·2 + 2²·1e-4·2/2.0001)/2.0001.
  @Test("matches SB3 RunningMeanStd from its initial count of 1e-4")
  func sb3Start() {
    var moments = RunningMoments(size: 1)
    let batch: [Double] = [1, 3]
    moments.update(rows: 2) { r, _ in batch[r] }
    #expect(isClose(moments.mean[0], 4 / 2.0001, rtol: 1e-12))
    let total = 2.0001, cross: Double = 4 * 1e-4 * 2 / total
    let variance: Double = (1e-4 + 2 + cross) / total
    #expect(isClose(moments.variance[0], variance, rtol: 1e-12))
  }
}

@Suite struct VectorNormalizationTests {
  @Test("observations are centred by the running moments, scaled and clipped")
  func observations() {
    var normalization = VectorNormalization(envs: 2, observationSize: 2, normalizesObservations: true, scalesRewards: false,
                                            gamma: 0.9, clip: 0.5)
    var raw = Tensor(shape: [2, 2], scalars: [1, 10, 3, 10])
    normalization.update(observations: raw)
    var normalized = Tensor(zeros: [2, 2])
    normalization.normalize(raw, into: &normalized)
    // Column 0: mean ≈ 2, var ≈ 1 → ≈ ±1, clipped to ±0.5; column 1: z = (10 − μ)/sqrt(σ² + 1e-8)
    // with μ = 10·2/2.0001 and σ² = (1e-4 + 100·1e-4·2/2.0001)/2.0001 (SB3's count 1e-4).
    let values = normalized.scalars
    #expect(values[0] == -0.5)
    #expect(values[2] == 0.5)
    let mean = 20 / 2.0001, cross: Double = 100 * 1e-4 * 2 / 2.0001
    let z = (10 - mean) / ((1e-4 + cross) / 2.0001 + 1e-8).squareRoot()
    #expect(isClose(Double(values[1]), z, rtol: 1e-5))
    #expect(values[3] == values[1])
    raw = Tensor(shape: [2, 2], scalars: [2, 10, 2, 10])
    normalization.normalize(raw, into: &normalized)
    #expect(abs(normalized.scalars[0]) < 1e-3)
  }

  // One env, γ = 0.5, rewards 2, 2, 2 with the episode ending at the second: G = 2, 3, then
  // (restarted) 2; each reward is 2 / sqrt(var_G + 1e-8) with var_G after that step's G.
  @Test("rewards are divided by the running std of the discounted return, which restarts after an episode")
  func rewards() {
    var normalization = VectorNormalization(envs: 1, observationSize: 1, normalizesObservations: false, scalesRewards: true,
                                            gamma: 0.5, clip: 10)
    var scaled: [Float] = [0, 0, 0]
    var expected = RunningMoments(size: 1)
    var expectedScaled: [Float] = []
    for g in [2.0, 3.0, 2.0] {
      expected.update(rows: 1) { _, _ in g }
      expectedScaled.append(Float(Swift.min(2 / (expected.variance[0] + 1e-8).squareRoot(), 10)))
    }
    let dones = [false, true, false]
    for t in 0..<3 {
      normalization.scale(rewards: [2], isDone: { _ in dones[t] }, into: &scaled, offset: t)
    }
    #expect(scaled == expectedScaled)
    #expect(normalization.discountedReturns == [2])
  }
}
