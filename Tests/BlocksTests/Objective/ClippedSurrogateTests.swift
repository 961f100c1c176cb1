import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `clip`: PPO clipping, clip-higher, dual clip.
@Suite struct ClippedSurrogateTests {
  // low 0.2, high 0.28, token_mean over 5 rows, per-token loss ℓ and dℓ/dlogp = −A·ρ on the unclipped branch:
  //   ρ = 3,   A = 1:  max(−3, −1.28) = −1.28, clipped → gradient 0
  //   ρ = 3,   A = −1: max(3, 1.28)   = 3,     gradient 3
  //   ρ = 0.1, A = 1:  max(−0.1, −0.8) = −0.1, gradient −0.1
  //   ρ = 0.1, A = −1: max(0.1, 0.8)  = 0.8,   clipped → gradient 0
  //   ρ = 1,   A = 2:  −2, gradient −2 (inside the range)
  @Test("matches verl compute_policy_loss_vanilla far outside the clip range on both sides")
  func clipFarOutside() throws {
    let b = PolicyFixtures.batch(ratios: [3, 3, 0.1, 0.1, 1], advantages: [1, -1, 1, -1, 2])
    let out = try BlockHarness.evaluate(try PolicyFixtures.recipe(try PolicyFixtures.clip(["low": .float(0.2), "high": .float(0.28)])), on: b)
    let expected: Double = (-1.28 + 3 - 0.1 + 0.8 - 2) / 5
    #expect(isClose(out["loss"]![0], expected, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [0, 3, -0.1, 0, -2].map { $0 / 5 }, rtol: 1e-6, atol: 1e-12))
    let verl = zip([3.0, 3, 0.1, 0.1, 1], [1.0, -1, 1, -1, 2]).map { VerlReference.clippedLoss(ratio: $0, advantage: $1, low: 0.2, high: 0.28, dual: nil) }
    #expect(allClose(verl, [-1.28, 3, -0.1, 0.8, -2], rtol: 1e-9))
  }

  // dual 3: ρ = 5, A = −1: max(5, 1.2) = 5 is capped at −A·3 = 3, gradient 0; A = +1 is untouched: −1.2.
  @Test("dual clip caps the loss of negative advantages only, as verl clip_ratio_c")
  func dualClip() throws {
    let b = PolicyFixtures.batch(ratios: [5, 5], advantages: [-1, 1])
    let out = try BlockHarness.evaluate(try PolicyFixtures.recipe(try PolicyFixtures.clip(["dual": .float(3)])), on: b)
    #expect(isClose(out["loss"]![0], (3 - 1.2) / 2, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [0, 0], atol: 1e-12))
    #expect(isClose(VerlReference.clippedLoss(ratio: 5, advantage: -1, low: 0.2, high: 0.2, dual: 3), 3, rtol: 1e-12))
  }

  @Test("matches verl compute_policy_loss_vanilla token by token on random batches", arguments: [nil, 3.0] as [Double?])
  func randomized(dual: Double?) throws {
    let b = TestBatch.random(groups: [0, 0, 1, 1, 1], lengths: [4, 2, 0, 1, 3], tokens: 4, seed: 51)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration)))
    var values: [String: ParamValue] = ["low": .float(0.1), "high": .float(0.15)]
    if let dual { values["dual"] = .float(dual) }
    recipe.policyLoss = try PolicyFixtures.clip(values)
    let out = try BlockHarness.evaluate(recipe, on: b)
    var total = 0.0
    for (i, m) in b.flatMask.enumerated() where m == 1 {
      let ratio = Foundation.exp(b.inputs[.logp]![i] - b.inputs[.oldLogp]![i])
      total += VerlReference.clippedLoss(ratio: ratio, advantage: out["advantages"]![i], low: 0.1, high: 0.15, dual: dual)
    }
    #expect(isClose(out["loss"]![0], total / b.flatMask.reduce(0, +), rtol: 1e-9, atol: 1e-12))
  }
}
