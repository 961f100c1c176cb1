import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `kl`.
@Suite struct KLPenaltyTests {
  // d = logp − ref; k1 = d, abs = |d|, k2 = d²/2, k3 = e^(−d) + d − 1 (clamped):
  //   d = 0.5: k3 = e^−0.5 − 0.5 = 0.106531;  d = −0.5: e^0.5 − 1.5 = 0.148721
  //   d = −30: −d clamps to 20, e^20 − 21 clamps to 10
  @Test("matches verl kl_penalty (kl, abs, mse, low_var_kl)", arguments: zip(
    ["k1", "abs", "k2", "k3", "k3", "k3"], [(0.5, 0.5), (-0.5, 0.5), (-0.5, 0.125), (0.5, 0.106531), (-0.5, 0.148721), (-30, 10)]))
  func estimators(estimator: String, point: (d: Double, value: Double)) throws {
    var b = PolicyFixtures.batch(ratios: [1], advantages: [0])
    b.inputs[.logp] = [point.d]
    b.inputs[.oldLogp] = [point.d]
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try PolicyFixtures.kl(["estimator": .string(estimator), "coef": .float(1)])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.kl"]![0], point.value, rtol: 1e-5))
    #expect(isClose(VerlReference.kl(point.d, 0, estimator), point.value, rtol: 1e-5))
  }

  // Straight-through k3 at d = 0.5: value k3 = 0.106531, gradient of k2 = d = 0.5 (k3's own: 1 − e^−d = 0.393469).
  @Test("straight_through keeps k3's value with k2's gradient")
  func straightThrough() throws {
    var b = PolicyFixtures.batch(ratios: [1], advantages: [0])
    b.inputs[.logp] = [0.5]
    b.inputs[.oldLogp] = [0.5]
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try PolicyFixtures.kl(["estimator": .string("k3"), "coef": .float(1), "straight_through": .bool(true)])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.kl"]![0], 0.106531, rtol: 1e-5))
    #expect(isClose(out["grad_logp"]![0], 0.5, rtol: 1e-6))
  }

  // KL in the reward: k1(old, ref) = old − ref = 0.3 on the one token; reward 1 − 0.5·0.3 = 0.85 (group of one keeps it).
  @Test("KL in the reward uses old_logp − ref_logp and lowers the token reward")
  func klInReward() throws {
    var b = PolicyFixtures.batch(ratios: [1], advantages: [1])
    b.inputs[.oldLogp] = [0.3]
    b.inputs[.logp] = [0.3]
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    recipe.kl = try PolicyFixtures.kl(["estimator": .string("k1"), "coef": .float(0.5), "in": .string("reward")])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["advantages"]![0], 0.85, rtol: 1e-6))
    #expect(isClose(out["terms.kl"]![0], 0.3, rtol: 1e-6))
  }

  @Test("matches verl kl_penalty token by token on random batches", arguments: ["k1", "k2", "k3", "abs"])
  func randomized(estimator: String) throws {
    let b = TestBatch.random(groups: [0, 1, 2], lengths: [4, 0, 2], tokens: 4, seed: 61)
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try PolicyFixtures.kl(["estimator": .string(estimator), "coef": .float(1)])
    let out = try BlockHarness.evaluate(recipe, on: b)
    let real = b.flatMask.enumerated().filter { $0.element == 1 }.map(\.offset)
    let expected = real.map { VerlReference.kl(b.inputs[.logp]![$0], b.inputs[.refLogp]![$0], estimator) }.reduce(0, +) / Double(real.count)
    #expect(isClose(out["terms.kl"]![0], expected, rtol: 1e-9, atol: 1e-12))
    #expect(try BlockHarness.gradientError(recipe, on: b) < 1e-5)
  }
}
