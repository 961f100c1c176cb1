import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `entropy`.
@Suite struct EntropyBonusTests {
  // Entropy bonus: token_mean of H; the loss subtracts coef·H.
  @Test("the entropy bonus is subtracted from the loss")
  func entropy() throws {
    var b = PolicyFixtures.batch(ratios: [1, 1], advantages: [0, 0])
    b.inputs[.entropy] = [0.5, 1.5]
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.entropy = try EntropyBonus(BlockHarness.params(EntropyBonus.declaration, ["coef": .float(0.1)]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.entropy"]![0], 1, rtol: 1e-9))
    #expect(isClose(out["loss"]![0], -0.1, rtol: 1e-6))
  }
}
