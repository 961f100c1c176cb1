import Blocks
import Expr
import Testing
import TestSupport

/// `ratio`, `clip`, `cispo`, `tis` and the plain surrogate, one token per row so each row is a case.
@Suite struct PolicyLossTests {
  /// Rows of one token with ratio exp(logp − old) and advantage = the row's reward.
  static func batch(ratios: [Double], advantages: [Double]) -> TestBatch {
    var b = TestBatch(groups: Array(0..<ratios.count), mask: ratios.map { _ in [1] })
    b.inputs = [.logp: ratios.map { Foundation.log($0) }, .oldLogp: ratios.map { _ in 0 }, .refLogp: ratios.map { _ in 0 }, .reward: advantages]
    return b
  }

  /// A recipe whose advantage is the reward itself.
  static func recipe(_ loss: any PolicyLoss) throws -> PolicyRecipe {
    let expr = try #require(ExprChecker.check(ExprSource(text: "reward"), in: .advantage).expr)
    var recipe = try PolicyRecipe.defaults(advantage: .expression(ExpressionAdvantage(expr, span: nil)))
    recipe.policyLoss = loss
    return recipe
  }

  static func clip(_ values: [String: ParamValue]) throws -> ClippedSurrogate {
    try ClippedSurrogate(BlockHarness.params(ClippedSurrogate.declaration, values))
  }

  // low 0.2, high 0.28, token_mean over 5 rows, per-token loss ℓ and dℓ/dlogp = −A·ρ on the unclipped branch:
  //   ρ = 3,   A = 1:  max(−3, −1.28) = −1.28, clipped → gradient 0
  //   ρ = 3,   A = −1: max(3, 1.28)   = 3,     gradient 3
  //   ρ = 0.1, A = 1:  max(−0.1, −0.8) = −0.1, gradient −0.1
  //   ρ = 0.1, A = −1: max(0.1, 0.8)  = 0.8,   clipped → gradient 0
  //   ρ = 1,   A = 2:  −2, gradient −2 (inside the range)
  @Test("matches verl compute_policy_loss_vanilla far outside the clip range on both sides")
  func clipFarOutside() throws {
    let b = Self.batch(ratios: [3, 3, 0.1, 0.1, 1], advantages: [1, -1, 1, -1, 2])
    let out = try BlockHarness.evaluate(try Self.recipe(try Self.clip(["low": .float(0.2), "high": .float(0.28)])), on: b)
    let expected: Double = (-1.28 + 3 - 0.1 + 0.8 - 2) / 5
    #expect(isClose(out["loss"]![0], expected, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [0, 3, -0.1, 0, -2].map { $0 / 5 }, rtol: 1e-6, atol: 1e-12))
    let verl = zip([3.0, 3, 0.1, 0.1, 1], [1.0, -1, 1, -1, 2]).map { VerlReference.clippedLoss(ratio: $0, advantage: $1, low: 0.2, high: 0.28, dual: nil) }
    #expect(allClose(verl, [-1.28, 3, -0.1, 0.8, -2], rtol: 1e-9))
  }

  // dual 3: ρ = 5, A = −1: max(5, 1.2) = 5 is capped at −A·3 = 3, gradient 0; A = +1 is untouched: −1.2.
  @Test("dual clip caps the loss of negative advantages only, as verl clip_ratio_c")
  func dualClip() throws {
    let b = Self.batch(ratios: [5, 5], advantages: [-1, 1])
    let out = try BlockHarness.evaluate(try Self.recipe(try Self.clip(["dual": .float(3)])), on: b)
    #expect(isClose(out["loss"]![0], (3 - 1.2) / 2, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [0, 0], atol: 1e-12))
    #expect(isClose(VerlReference.clippedLoss(ratio: 5, advantage: -1, low: 0.2, high: 0.2, dual: 3), 3, rtol: 1e-12))
  }

  // CISPO, low 1 (no lower bound), high 0.28: ℓ = −sg[clip(ρ, 0, 1.28)]·A·logp; dℓ/dlogp = −clip(ρ)·A.
  // ρ = 3, A = 1: weight 1.28; ρ = 0.5, A = −2: weight 0.5 → gradient 1.
  @Test("cispo keeps the gradient of clipped tokens with a detached weight")
  func cispo() throws {
    let b = Self.batch(ratios: [3, 0.5], advantages: [1, -2])
    let loss = try ClippedImportanceWeight(BlockHarness.params(ClippedImportanceWeight.declaration, ["high": .float(0.28)]))
    let out = try BlockHarness.evaluate(try Self.recipe(loss), on: b)
    #expect(allClose(out["grad_logp"]!, [-1.28 / 2, 1.0 / 2], rtol: 1e-6))
    #expect(isClose(out["loss"]![0], (-1.28 * Foundation.log(3.0) + 0.5 * 2 * Foundation.log(0.5)) / 2, rtol: 1e-6))
  }

  // tis cap 2: w = min(exp(old − rollout), 2); rows: old − rollout = log 3 → 2, = log 0.5 → 0.5.
  @Test("tis multiplies a detached, capped weight into the token loss")
  func tis() throws {
    var b = Self.batch(ratios: [1, 1], advantages: [1, 1])
    b.inputs[.rolloutLogp] = [-Foundation.log(3.0), -Foundation.log(0.5)]
    var recipe = try Self.recipe(ImportanceWeightedSurrogate())
    recipe.tis = try TruncatedImportanceWeight(BlockHarness.params(TruncatedImportanceWeight.declaration))
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(allClose(out["grad_logp"]!, [-2.0 / 2, -0.5 / 2], rtol: 1e-6))
  }

  // GSPO: one row, logp − old = [0.2, −0.4, 0.5] → log s = 0.1, s = e^0.1 on every token; A = 1, no clip,
  // token_mean: loss = −s; the gradient reaches each token as −A·s / 3 (value of s, gradient through the token).
  @Test("matches verl compute_policy_loss_gspo: the sequence ratio on every token, gradient per token")
  func sequenceRatio() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1, 1, 0]])
    b.inputs = [.logp: [0.2, -0.4, 0.5, .nan], .oldLogp: [0, 0, 0, .nan], .refLogp: [0, 0, 0, 0], .reward: [1]]
    var recipe = try Self.recipe(ImportanceWeightedSurrogate())
    recipe.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration, ["mode": .string("sequence")]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    let s = Foundation.exp(0.1)
    #expect(isClose(out["loss"]![0], -s, rtol: 1e-6))
    #expect(allClose(out["grad_logp"]!, [-s / 3, -s / 3, -s / 3, 0], rtol: 1e-6))
  }

  @Test("the gradient matches finite differences on random batches with NaN at masked positions",
        arguments: ["clip", "dual", "plain", "a2c", "ppo_penalty", "mdpo"])
  func gradients(rule: String) throws {
    let b = TestBatch.random(groups: [0, 0, 0, 1, 1, 2], lengths: [4, 1, 3, 0, 4, 2], tokens: 4, seed: 11)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration)))
    switch rule {
    case "clip": recipe.policyLoss = try Self.clip(["low": .float(0.1), "high": .float(0.15)])
    case "dual": recipe.policyLoss = try Self.clip(["low": .float(0.1), "dual": .float(1.1)])
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

import Foundation
