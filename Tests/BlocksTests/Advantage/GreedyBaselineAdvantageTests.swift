import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `remax`.
@Suite struct GreedyBaselineAdvantageTests {
  // Outcome reward 1 on the last of 3 tokens, baseline 0.25: returns 1, 1, 1; advantages 0.75 each.
  @Test("matches verl compute_remax_outcome_advantage by hand")
  func remax() throws {
    var b = TestBatch(groups: [0, 0], mask: [[1, 1, 1], [1, 0, 0]])
    b.inputs = [.logp: [Double](repeating: 0, count: 6), .oldLogp: [Double](repeating: 0, count: 6), .refLogp: [Double](repeating: 0, count: 6),
                .reward: [1, 0.5], .baselineReward: [0.25, 1]]
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try GreedyBaselineAdvantage(BlockHarness.params(GreedyBaselineAdvantage.declaration))), on: b)
    #expect(allClose(out["returns"]!, [1, 1, 1, 0.5, 0, 0], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(out["advantages"]!, [0.75, 0.75, 0.75, -0.5, 0, 0], rtol: 1e-9, atol: 1e-12))
  }
}
