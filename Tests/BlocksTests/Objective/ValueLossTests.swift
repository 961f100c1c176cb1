import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `value`.
@Suite struct ValueLossTests {
  // Against the formula in a loop over real tokens, with GAE's returns as targets:
  // mse ½(V − ret)², clipped ½·max((V − ret)², (V_old + clamp(V − V_old, ±c) − ret)²), token_mean.
  @Test("value loss: mse and verl's clipped form, gradient by finite differences", arguments: ["mse", "clipped"])
  func valueLoss(kind: String) throws {
    let b = TestBatch.random(groups: [0, 1, 2], lengths: [3, 2, 1], tokens: 3, seed: 31)
    var recipe = try BlockHarness.recipe(try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration)))
    recipe.value = try ValueLoss(BlockHarness.params(ValueLoss.declaration, ["loss": .string(kind), "coef": .float(0.5), "clip": .float(0.1)]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    let returns = out["returns"]!, prediction = b.inputs[.valuePred]!, old = b.inputs[.values]!
    var total = 0.0, count = 0.0
    for (i, m) in b.flatMask.enumerated() where m == 1 {
      let unclipped = (prediction[i] - returns[i]) * (prediction[i] - returns[i])
      let moved = old[i] + min(max(prediction[i] - old[i], -0.1), 0.1)
      total += 0.5 * (kind == "mse" ? unclipped : max(unclipped, (moved - returns[i]) * (moved - returns[i])))
      count += 1
    }
    #expect(isClose(out["terms.value_loss"]![0], total / count, rtol: 1e-6))
    #expect(try BlockHarness.gradientError(recipe, on: b, input: .valuePred) < 1e-5)
    for (i, m) in b.flatMask.enumerated() where m == 0 { #expect(out["grad_value_pred"]![i] == 0) }
  }
}
