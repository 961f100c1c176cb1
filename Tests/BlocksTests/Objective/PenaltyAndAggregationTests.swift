import Blocks
import Foundation
import Testing
import TestSupport

/// `kl`, `value`, `entropy` and `aggregate`.
@Suite struct PenaltyAndAggregationTests {
  static func kl(_ values: [String: ParamValue]) throws -> KLPenalty {
    try KLPenalty(BlockHarness.params(KLPenalty.declaration, values))
  }

  // d = logp − ref; k1 = d, abs = |d|, k2 = d²/2, k3 = e^(−d) + d − 1 (clamped):
  //   d = 0.5: k3 = e^−0.5 − 0.5 = 0.106531;  d = −0.5: e^0.5 − 1.5 = 0.148721
  //   d = −30: −d clamps to 20, e^20 − 21 clamps to 10
  @Test("matches verl kl_penalty (kl, abs, mse, low_var_kl)", arguments: zip(
    ["k1", "abs", "k2", "k3", "k3", "k3"], [(0.5, 0.5), (-0.5, 0.5), (-0.5, 0.125), (0.5, 0.106531), (-0.5, 0.148721), (-30, 10)]))
  func estimators(estimator: String, point: (d: Double, value: Double)) throws {
    var b = PolicyLossTests.batch(ratios: [1], advantages: [0])
    b.inputs[.logp] = [point.d]
    b.inputs[.oldLogp] = [point.d]
    var recipe = try PolicyLossTests.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try Self.kl(["estimator": .string(estimator), "coef": .float(1)])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.kl"]![0], point.value, rtol: 1e-5))
    #expect(isClose(VerlReference.kl(point.d, 0, estimator), point.value, rtol: 1e-5))
  }

  // Straight-through k3 at d = 0.5: value k3 = 0.106531, gradient of k2 = d = 0.5 (k3's own: 1 − e^−d = 0.393469).
  @Test("straight_through keeps k3's value with k2's gradient")
  func straightThrough() throws {
    var b = PolicyLossTests.batch(ratios: [1], advantages: [0])
    b.inputs[.logp] = [0.5]
    b.inputs[.oldLogp] = [0.5]
    var recipe = try PolicyLossTests.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try Self.kl(["estimator": .string("k3"), "coef": .float(1), "straight_through": .bool(true)])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.kl"]![0], 0.106531, rtol: 1e-5))
    #expect(isClose(out["grad_logp"]![0], 0.5, rtol: 1e-6))
  }

  // KL in the reward: k1(old, ref) = old − ref = 0.3 on the one token; reward 1 − 0.5·0.3 = 0.85 (group of one keeps it).
  @Test("KL in the reward uses old_logp − ref_logp and lowers the token reward")
  func klInReward() throws {
    var b = PolicyLossTests.batch(ratios: [1], advantages: [1])
    b.inputs[.oldLogp] = [0.3]
    b.inputs[.logp] = [0.3]
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    recipe.kl = try Self.kl(["estimator": .string("k1"), "coef": .float(0.5), "in": .string("reward")])
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["advantages"]![0], 0.85, rtol: 1e-6))
    #expect(isClose(out["terms.kl"]![0], 0.3, rtol: 1e-6))
  }

  /// The plain surrogate ℓ = −A·ρ aggregated in each mode against a direct loop, on a batch
  /// with a one-token row and an empty row (which no mode counts).
  @Test("matches verl agg_loss in all four modes", arguments: LossAggregation.Mode.allCases)
  func aggregation(mode: LossAggregation.Mode) throws {
    let b = TestBatch.random(groups: [0, 0, 1, 1], lengths: [3, 1, 0, 4], tokens: 4, seed: 21)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration)))
    recipe.aggregation = try LossAggregation(BlockHarness.params(LossAggregation.declaration, ["mode": .string(mode.rawValue)]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    let ratio = zip(b.inputs[.logp]!, b.inputs[.oldLogp]!).map { Foundation.exp($0 - $1) }
    let losses = zip(out["advantages"]!, ratio).map { -$0 * $1 }
    let rows = (0..<4).map { i in (0..<4).filter { b.mask[i][$0] == 1 }.map { losses[i * 4 + $0] } }
    let nonEmpty = rows.filter { !$0.isEmpty }
    let expected: Double = switch mode {
    case .tokenMean: rows.joined().reduce(0, +) / Double(rows.joined().count)
    case .sequenceMeanTokenSum: nonEmpty.map { $0.reduce(0, +) }.reduce(0, +) / Double(nonEmpty.count)
    case .sequenceMeanTokenMean: nonEmpty.map { $0.reduce(0, +) / (Double($0.count) + 1e-8) }.reduce(0, +) / Double(nonEmpty.count)
    case .sequenceMeanTokenSumNorm: rows.joined().reduce(0, +) / (4 * 4)
    }
    #expect(isClose(out["terms.pg_loss"]![0], expected, rtol: 1e-6, atol: 1e-12))
    #expect(try BlockHarness.gradientError(recipe, on: b) < 1e-5)
  }

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

  // Entropy bonus: token_mean of H; the loss subtracts coef·H.
  @Test("the entropy bonus is subtracted from the loss")
  func entropy() throws {
    var b = PolicyLossTests.batch(ratios: [1, 1], advantages: [0, 0])
    b.inputs[.entropy] = [0.5, 1.5]
    var recipe = try PolicyLossTests.recipe(ImportanceWeightedSurrogate())
    recipe.entropy = try EntropyBonus(BlockHarness.params(EntropyBonus.declaration, ["coef": .float(0.1)]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    #expect(isClose(out["terms.entropy"]![0], 1, rtol: 1e-9))
    #expect(isClose(out["loss"]![0], -0.1, rtol: 1e-6))
  }
}
