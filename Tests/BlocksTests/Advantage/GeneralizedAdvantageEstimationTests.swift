import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `gae`.
@Suite struct GeneralizedAdvantageEstimationTests: TokenScanTesting {
  @Test("matches verl compute_gae_advantage_return on rows with holes, one token and none", arguments: ["none", "batch"])
  func gae(normalize: String) throws {
    let b = batch(seed: 5)
    let estimator = try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration,
      ["gamma": .float(0.9), "lambda": .float(0.8), "normalize": .string(normalize)]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    let values = rows(b.inputs[.values]!).map { $0.map { $0.isNaN ? 0 : $0 } }
    let (advantages, returns) = VerlReference.gae(rewards: rows(b.inputs[.tokenReward]!), values: values, mask: Self.mask, gamma: 0.9, lambda: 0.8)
    expectClose(out["advantages"]!, normalize == "none" ? advantages : VerlReference.whiten(advantages, mask: Self.mask), mask: Self.mask)
    expectClose(out["returns"]!, returns, mask: Self.mask)
  }

  // One row, rewards [0, 1], values [0.5, 0.25], γ = λ = 1: A_1 = 1 − 0.25 = 0.75,
  // A_0 = (0 + 0.25 − 0.5) + 0.75 = 0.5; returns 1, 1.
  @Test("GAE by hand on two tokens")
  func gaeHand() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1]])
    b.inputs = [.logp: [0, 0], .oldLogp: [0, 0], .refLogp: [0, 0], .reward: [1], .values: [0.5, 0.25]]
    let estimator = try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration,
      ["gamma": .float(1), "lambda": .float(1), "normalize": .string("none")]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    #expect(allClose(out["advantages"]!, [0.5, 0.75], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(out["returns"]!, [1, 1], rtol: 1e-9, atol: 1e-12))
  }
}
