import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `cispo`.
@Suite struct ClippedImportanceWeightTests {
  // CISPO, low 1 (no lower bound), high 0.28: ℓ = −sg[clip(ρ, 0, 1.28)]·A·logp; dℓ/dlogp = −clip(ρ)·A.
  // ρ = 3, A = 1: weight 1.28; ρ = 0.5, A = −2: weight 0.5 → gradient 1.
  @Test("cispo keeps the gradient of clipped tokens with a detached weight")
  func cispo() throws {
    let b = PolicyFixtures.batch(ratios: [3, 0.5], advantages: [1, -2])
    let loss = try ClippedImportanceWeight(BlockHarness.params(ClippedImportanceWeight.declaration, ["high": .float(0.28)]))
    let out = try BlockHarness.evaluate(try PolicyFixtures.recipe(loss), on: b)
    #expect(allClose(out["grad_logp"]!, [-1.28 / 2, 1.0 / 2], rtol: 1e-6))
    #expect(isClose(out["loss"]![0], (-1.28 * Foundation.log(3.0) + 0.5 * 2 * Foundation.log(0.5)) / 2, rtol: 1e-6))
    // The weight of ρ = 3 is clipped (above 1.28); with low 1 nothing is clipped below.
    #expect(out["terms.clip_frac_high"] == [0.5] && out["terms.clip_frac_low"] == [0])
  }

  // low 0.2, high 0.2: the weight is clipped whatever A's sign — ρ 0.5 (A 1) below,
  // ρ 2 (A −1) above, ρ 1.1 inside: 1 of 3 tokens each (a clip rule would count neither).
  @Test("cispo's clip fractions count the clipped weights, whatever the advantage's sign")
  func clipFractions() throws {
    let b = PolicyFixtures.batch(ratios: [0.5, 2, 1.1], advantages: [1, -1, 1])
    let loss = try ClippedImportanceWeight(BlockHarness.params(ClippedImportanceWeight.declaration, ["low": .float(0.2), "high": .float(0.2)]))
    let out = try BlockHarness.evaluate(try PolicyFixtures.recipe(loss), on: b)
    #expect(allClose(out["terms.clip_frac_low"]!, [1.0 / 3], rtol: 1e-9) && allClose(out["terms.clip_frac_high"]!, [1.0 / 3], rtol: 1e-9))
  }
}
