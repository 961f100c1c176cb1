import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `ratio` (token and GSPO sequence ratios).
@Suite struct ImportanceRatioTests {
  // GSPO: one row, logp − old = [0.2, −0.4, 0.5] → log s = 0.1, s = e^0.1 on every token; A = 1, no clip,
  // token_mean: loss = −s; the gradient reaches each token as −A·s / 3 (value of s, gradient through the token).
  @Test("matches verl compute_policy_loss_gspo: the sequence ratio on every token, gradient per token")
  func sequenceRatio() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1, 1, 0]])
    b.inputs = [.logp: [0.2, -0.4, 0.5, .nan], .oldLogp: [0, 0, 0, .nan], .refLogp: [0, 0, 0, 0], .reward: [1]]
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration, ["mode": .string("sequence")]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    let s = Foundation.exp(0.1)
    #expect(isClose(out["loss"]![0], -s, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [-s / 3, -s / 3, -s / 3, 0], rtol: 1e-6))
  }
}
