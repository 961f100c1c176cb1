import Foundation
import Runtime
import Testing
import TestSupport

/// `EWMAMoments`: PPO-EWMA's running advantage statistics for `batch_norm: {ewma: β}`.
@Suite struct EWMAMomentsTests {
  // [1, 2, 4]: mean 7/3, unbiased var (16/9 + 1/9 + 25/9)/2 = 7/3 — the batch's own statistics.
  // Then [−1, 0.5] with β = 0.9: w = 0.9·3 + 2 = 4.7, Σw² = 0.81·3 + 2 = 4.43, Σwx = 0.9·7 − 0.5 = 5.8,
  // Σwx² = 0.9·21 + 1.25 = 20.15: mean = 1.2340425531914894, var = (20.15 − 5.8²/4.7)/(4.7 − 4.43/4.7)
  // = 3.457814269535674 (openai/ppo-ewma EwmaMoments, moments(ddof=1), re-typed in Python).
  @Test("the first batch's own statistics, then ppo-ewma's EwmaMoments(0.9) with ddof 1")
  func matchesPPOEWMA() {
    var moments = EWMAMoments(decay: 0.9)
    moments.update(with: [1, 2, 4])
    #expect(isClose(moments.mean, 7.0 / 3, rtol: 1e-15) && isClose(moments.variance, 7.0 / 3, rtol: 1e-14))
    moments.update(with: [-1, 0.5])
    #expect(isClose(moments.mean, 1.2340425531914894, rtol: 1e-14))
    #expect(isClose(moments.variance, 3.457814269535674, rtol: 1e-13))
    // (x − mean)/sqrt(var + 1e-8), from the same script.
    #expect(allClose(moments.normalized([-1, 0.5]), [-1.2014082486532045, -0.39474842455748144], rtol: 1e-13, atol: 0))
  }

  // verl masked_whiten of [1, 2, 4]: (x − 7/3)/sqrt(7/3 + 1e-8); shift: false adds 7/3 back.
  @Test("after one batch: batch_norm's numbers (unbiased variance, eps inside the root); shift: false keeps the mean")
  func oneBatch() {
    var moments = EWMAMoments(decay: 0.99), kept = EWMAMoments(decay: 0.99, shifts: false)
    moments.update(with: [1, 2, 4])
    kept.update(with: [1, 2, 4])
    let scale = 1 / (7.0 / 3 + 1e-8).squareRoot()
    let whitened = [1.0, 2, 4].map { ($0 - 7.0 / 3) * scale }
    #expect(allClose(moments.normalized([1, 2, 4]), whitened, rtol: 1e-14, atol: 1e-15))
    #expect(allClose(kept.normalized([1, 2, 4]), whitened.map { $0 + 7.0 / 3 }, rtol: 1e-14, atol: 1e-15))
  }

  @Test("edges: β = 0 keeps only the latest batch; one value has variance 0; empty batches change nothing; JSON round trip")
  func edges() throws {
    var latest = EWMAMoments(decay: 0)
    latest.update(with: [10, 20, 30])
    latest.update(with: [1, 3])
    #expect(latest.mean == 2 && latest.variance == 2)
    var single = EWMAMoments(decay: 0.5)
    #expect(single.mean == 0 && single.variance == 1)
    single.update(with: [3])
    #expect(single.mean == 3 && single.variance == 0)
    let before = single
    single.update(with: [Double]())
    #expect(single == before)
    #expect(single.normalized([3, 4]) == [0, 1 / (1e-8).squareRoot()])
    let decoded = try JSONDecoder().decode(EWMAMoments.self, from: JSONEncoder().encode(latest))
    #expect(decoded == latest)
  }
}
