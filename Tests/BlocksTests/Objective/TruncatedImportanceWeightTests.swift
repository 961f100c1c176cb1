import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `tis`.
@Suite struct TruncatedImportanceWeightTests {
  // tis cap 2: w = min(exp(old − rollout), 2); rows: old − rollout = log 3 → 2, = log 0.5 → 0.5.
  @Test("tis multiplies a detached, capped weight into the token loss")
  func tis() throws {
    var b = PolicyFixtures.batch(ratios: [1, 1], advantages: [1, 1])
    b.inputs[.rolloutLogp] = [-Foundation.log(3.0), -Foundation.log(0.5)]
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.tis = try TruncatedImportanceWeight(BlockHarness.params(TruncatedImportanceWeight.declaration))
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(allClose(out["grad_logp"]!, [-2.0 / 2, -0.5 / 2], rtol: 1e-6))
  }
}
