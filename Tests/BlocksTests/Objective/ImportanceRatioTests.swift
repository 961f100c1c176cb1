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

  // MARK: - proximal: ewma (PPO-EWMA's decoupled objective)

  static func proximalRecipe() throws -> PolicyRecipe {
    var recipe = try PolicyFixtures.recipe(try PolicyFixtures.clip(["low": .float(0.2)]))
    recipe.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration, ["proximal": .string("ewma")]))
    return recipe
  }

  // Two tokens, logp = −1.0, prox = −1.2, old = −1.5: ρ = e^0.2 = 1.221403 against the proximal
  // policy, w = e^0.3 = 1.349859. A = 1: ρ > 1.2 is clipped, ℓ = −1.2·w = −1.619831, gradient 0.
  // A = −1: max(ρ, 1.2) = ρ, ℓ = w·ρ = e^0.5 = 1.648721, gradient w·ρ. token_mean over 2:
  // loss = (−1.619831 + 1.648721)/2 = 0.014445; grad_logp = [0, 1.648721/2 = 0.824361].
  @Test("proximal: ewma clips π/π_prox and weights the token loss by the detached π_prox/π_old")
  func proximalHandComputed() throws {
    var b = TestBatch(groups: [0, 1], mask: [[1], [1]])
    b.inputs = [.logp: [-1, -1], .proxLogp: [-1.2, -1.2], .oldLogp: [-1.5, -1.5], .refLogp: [0, 0], .reward: [1, -1]]
    let out = try BlockHarness.evaluate(try Self.proximalRecipe(), on: b)
    #expect(isClose(out["loss"]![0], (-1.2 * Foundation.exp(0.3) + Foundation.exp(0.5)) / 2, rtol: 1e-12))
    #expect(isClose(out["loss"]![0], 0.014445, rtol: 1e-4))
    #expect(allClose(out["grad_logp"]!, [0, Foundation.exp(0.5) / 2], rtol: 1e-12, atol: 1e-15))
  }

  /// openai/ppo-ewma `compute_losses`, re-typed in log space (its `imp_samp_max` cap not reached):
  /// max(−A·exp(logp − old), −A·exp(clamp(logp − prox, log(1 − ε), log(1 + ε)) + prox − old)).
  static func ppoEWMALoss(logp: Double, prox: Double, old: Double, advantage a: Double, epsilon: Double) -> Double {
    let clipped = Swift.min(Swift.max(logp - prox, Foundation.log(1 - epsilon)), Foundation.log(1 + epsilon))
    return Swift.max(-a * Foundation.exp(logp - old), -a * Foundation.exp(clipped + prox - old))
  }

  @Test("proximal: ewma matches openai/ppo-ewma compute_losses token by token; finite differences")
  func proximalRandomized() throws {
    var b = TestBatch.random(groups: [0, 1, 2, 3], lengths: [3, 0, 2, 3], tokens: 3, seed: 29)
    var random = TestRandom(seed: 30)
    let logp = b.inputs[.logp]!
    b.inputs[.proxLogp] = zip(logp, random.uniforms(logp.count, -0.4, 0.4)).map { $0 + $1 }
    let recipe = try Self.proximalRecipe()
    let out = try BlockHarness.evaluate(recipe, on: b)
    let prox = b.inputs[.proxLogp]!, old = b.inputs[.oldLogp]!, rewards = b.inputs[.reward]!
    let real = b.flatMask.enumerated().filter { $0.element == 1 }.map(\.offset)
    let expected = real.map { i in
      Self.ppoEWMALoss(logp: logp[i], prox: prox[i], old: old[i], advantage: rewards[i / 3], epsilon: 0.2)
    }.reduce(0, +) / Double(real.count)
    #expect(isClose(out["terms.pg_loss"]![0], expected, rtol: 1e-9))
    #expect(try BlockHarness.gradientError(recipe, on: b) < 1e-5)
    // With π_prox = π_old the correction is 1: the plain token ratio's numbers.
    b.inputs[.proxLogp] = old
    var plain = recipe
    plain.ratio = try ImportanceRatio(BlockHarness.params(ImportanceRatio.declaration))
    let same = try BlockHarness.evaluate(recipe, on: b), reference = try BlockHarness.evaluate(plain, on: b)
    #expect(isClose(same["loss"]![0], reference["loss"]![0], rtol: 1e-12))
    #expect(allClose(same["grad_logp"]!, reference["grad_logp"]!, rtol: 1e-12, atol: 1e-15))
  }
}
