import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// The gradients of the policy losses and structural rules (`clip`, plain, `a2c`, `ppo_penalty`, `mdpo`).
@Suite struct PolicyLossGradientTests {
  @Test("the gradient matches finite differences on random batches with NaN at masked positions",
        arguments: ["clip", "dual", "plain", "a2c", "ppo_penalty", "mdpo"])
  func gradients(rule: String) throws {
    let b = TestBatch.random(groups: [0, 0, 0, 1, 1, 2], lengths: [4, 1, 3, 0, 4, 2], tokens: 4, seed: 11)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration)))
    switch rule {
    case "clip": recipe.policyLoss = try PolicyFixtures.clip(["low": .float(0.1), "high": .float(0.15)])
    case "dual": recipe.policyLoss = try PolicyFixtures.clip(["low": .float(0.1), "dual": .float(1.1)])
    case "a2c": recipe.policyLoss = try ActorCriticLoss(BlockHarness.params(ActorCriticLoss.declaration))
    case "ppo_penalty": recipe.policyLoss = try PenalizedSurrogate(BlockHarness.params(PenalizedSurrogate.declaration, ["estimator": .string("k3")]))
    case "mdpo": recipe.policyLoss = try MirrorDescentSurrogate(BlockHarness.params(MirrorDescentSurrogate.declaration))
    default: break
    }
    #expect(try BlockHarness.gradientError(recipe, on: b) < 1e-5)
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(out.values.allSatisfy { $0.allSatisfy(\.isFinite) })
    for (i, m) in b.flatMask.enumerated() where m == 0 { #expect(out["grad_logp"]![i] == 0) }
  }
}
