import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `reinforce_pp_baseline`.
@Suite struct WhitenedGroupBaselineAdvantageTests {
  @Test("matches verl reinforce_plus_plus_baseline on random batches")
  func reinforceBaseline() throws {
    let groups = [0, 0, 1, 1, 1, 2]
    let b = TestBatch.random(groups: groups, lengths: [3, 1, 4, 2, 0, 4], tokens: 4, seed: 3)
    let rewards = b.inputs[.reward]!
    let estimator = try WhitenedGroupBaselineAdvantage(BlockHarness.params(WhitenedGroupBaselineAdvantage.declaration))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)["advantages"]!
    let centered = VerlReference.grpo(rewards, groups: groups, std: false)
    let expected = VerlReference.whiten(centered.map { [Double](repeating: $0, count: 4) }, mask: b.mask).joined()
    for (i, (x, m)) in zip(expected, b.flatMask).enumerated() where m == 1 { #expect(isClose(out[i], x, rtol: 1e-6, atol: 1e-9)) }
  }
}
