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
    // Clipped: (ρ 0.1, A −1) below, (ρ 3, A 1) above; 1 of 5 tokens each.
    #expect(out["terms.clip_frac_low"] == [0.2] && out["terms.clip_frac_high"] == [0.2])
    #expect(out["terms.clip_frac_dual"] == nil)
  }

  // GSPO's sequence ratio, low = high = 0.2, rows of 3, 1 and 2 tokens, log-ratios
  //   row 0: 0.3, 0.3, 0.3 → s = e^0.3 = 1.35 > 1.2, A = 1: clipped above (3 tokens)
  //   row 1: −0.5         → s = 0.61 < 0.8, A = −1: clipped below (1 token)
  //   row 2: 0.1, −0.1     → s = 1, inside
  // so each share is 1 of 3 responses (a token mean, as verl's gspo, would give 3/6 and 1/6).
  @Test("with a sequence ratio each response is one clipping decision, whatever its length")
  func sequenceShares() throws {
    var b = TestBatch(groups: [0, 0, 0], mask: [[1, 1, 1], [1, 0, 0], [1, 1, 0]])
    b.inputs = [.logp: [0.3, 0.3, 0.3, -0.5, 0, 0, 0.1, -0.1, 0], .oldLogp: Array(repeating: 0, count: 9),
                .refLogp: Array(repeating: 0, count: 9), .reward: [1, -1, 1]]
    var recipe = try PolicyFixtures.recipe(try PolicyFixtures.clip(["low": .float(0.2)]))
    recipe.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration, ["mode": .string("sequence")]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(allClose(out["terms.clip_frac_low"]!, [1.0 / 3], rtol: 1e-9))
    #expect(allClose(out["terms.clip_frac_high"]!, [1.0 / 3], rtol: 1e-9))
    recipe.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration))
    let token = try BlockHarness.evaluate(recipe, on: b)
    // Token ratio: above on row 0's 3 tokens, below on row 1's: 3/6 and 1/6.
    #expect(allClose(token["terms.clip_frac_high"]!, [0.5], rtol: 1e-9) && allClose(token["terms.clip_frac_low"]!, [1.0 / 6], rtol: 1e-9))
  }

  // dual 3: ρ = 5, A = −1: max(5, 1.2) = 5 is capped at −A·3 = 3, gradient 0; A = +1 is untouched: −1.2.
  @Test("dual clip caps the loss of negative advantages only, as verl clip_ratio_c")
  func dualClip() throws {
    let b = PolicyFixtures.batch(ratios: [5, 5], advantages: [-1, 1])
    let out = try BlockHarness.evaluate(try PolicyFixtures.recipe(try PolicyFixtures.clip(["dual": .float(3)])), on: b)
    #expect(isClose(out["loss"]![0], (3 - 1.2) / 2, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [0, 0], atol: 1e-12))
    #expect(isClose(VerlReference.clippedLoss(ratio: 5, advantage: -1, low: 0.2, high: 0.2, dual: 3), 3, rtol: 1e-12))
    // The dual bound acts on the first token (verl's pg_clipfrac_lower); the second is clipped above.
    #expect(out["terms.clip_frac_dual"] == [0.5] && out["terms.clip_frac_high"] == [0.5] && out["terms.clip_frac_low"] == [0])
  }

  @Test("matches verl compute_policy_loss_vanilla token by token on random batches", arguments: [nil, 3.0] as [Double?])
  func randomized(dual: Double?) throws {
    let b = TestBatch.random(groups: [0, 0, 1, 1, 1], lengths: [4, 2, 0, 1, 3], tokens: 4, seed: 51)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration)))
    var values: [String: ParamValue] = ["low": .float(0.1), "high": .float(0.15)]
    if let dual { values["dual"] = .float(dual) }
    recipe.policyLoss = try PolicyFixtures.clip(values)
    let out = try BlockHarness.evaluate(recipe, on: b)
    var total = 0.0, clipped = 0.0, dualClipped = 0.0
    for (i, m) in b.flatMask.enumerated() where m == 1 {
      let ratio = Foundation.exp(b.inputs[.logp]![i] - b.inputs[.oldLogp]![i]), advantage = out["advantages"]![i]
      total += VerlReference.clippedLoss(ratio: ratio, advantage: advantage, low: 0.1, high: 0.15, dual: dual)
      // verl's pg_clipfrac: −A·clip(ρ) > −A·ρ; pg_clipfrac_lower: A < 0 and the clipped loss above −A·c.
      let unclipped = -advantage * ratio, clippedLoss = -advantage * Swift.min(Swift.max(ratio, 0.9), 1.15)
      if clippedLoss > unclipped { clipped += 1 }
      if let dual, advantage < 0, Swift.max(unclipped, clippedLoss) > -advantage * dual { dualClipped += 1 }
    }
    let tokens = b.flatMask.reduce(0, +)
    #expect(isClose(out["loss"]![0], total / tokens, rtol: 1e-9, atol: 1e-12))
    #expect(clipped > 0, "the batch clips nothing: the check says nothing")
    #expect(isClose(out["terms.clip_frac_low"]![0] + out["terms.clip_frac_high"]![0], clipped / tokens, rtol: 1e-12, atol: 1e-12))
    if dual != nil { #expect(isClose(out["terms.clip_frac_dual"]![0], dualClipped / tokens, rtol: 1e-12, atol: 1e-12)) }
  }
}
