import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `reinforce_pp`.
@Suite struct WhitenedReturnAdvantageTests: TokenScanTesting {
  @Test("matches verl compute_reinforce_plus_plus_outcome_advantage")
  func reinforcePlusPlus() throws {
    let b = batch(seed: 6)
    let estimator = try WhitenedReturnAdvantage(BlockHarness.params(WhitenedReturnAdvantage.declaration, ["gamma": .float(0.95)]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    let rewards = zip(rows(b.inputs[.tokenReward]!), Self.mask).map { zip($0, $1).map { $0 * $1 } }
    let (advantages, returns) = VerlReference.reinforcePlusPlus(rewards: rewards, mask: Self.mask, gamma: 0.95)
    expectClose(out["advantages"]!, advantages, mask: Self.mask)
    expectClose(out["returns"]!, returns, mask: Self.mask)
  }
}
