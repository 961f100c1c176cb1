import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `rloo`.
@Suite struct LeaveOneOutAdvantageTests: OutcomeBatchTesting {
  // rewards [1, 0, 0.5]: r_0 − mean(0, 0.5) = 0.75, r_1 − 0.75 = −0.75, r_2 − 0.5 = 0; a group of one keeps 0.25.
  @Test("matches verl compute_rloo_outcome_advantage on a group of 3 and a group of one")
  func rloo() throws {
    let estimator = try LeaveOneOutAdvantage(BlockHarness.params(LeaveOneOutAdvantage.declaration))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: batch(groups: [0, 0, 0, 1], rewards: [1, 0, 0.5, 0.25]))
    let perRow = stride(from: 0, to: 8, by: 2).map { out["advantages"]![$0] }
    #expect(allClose(perRow, [0.75, -0.75, 0, 0.25], rtol: 1e-6, atol: 1e-9))
    #expect(allClose(perRow, VerlReference.rloo([1, 0, 0.5, 0.25], groups: [0, 0, 0, 1]), rtol: 1e-6, atol: 1e-9))
  }

  @Test("matches verl compute_rloo_outcome_advantage on random ragged groups")
  func randomized() throws {
    let groups = [4, 4, 1, 7, 7, 7, 4, 9]
    var random = TestRandom(seed: 71)
    let rewards = random.uniforms(groups.count, -1, 1)
    let estimator = try LeaveOneOutAdvantage(BlockHarness.params(LeaveOneOutAdvantage.declaration))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: batch(groups: groups, rewards: rewards))
    #expect(allClose(stride(from: 0, to: 16, by: 2).map { out["advantages"]![$0] }, VerlReference.rloo(rewards, groups: groups), rtol: 1e-9, atol: 1e-12))
  }
}
