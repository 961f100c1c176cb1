import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `aggregate`.
@Suite struct LossAggregationTests {
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
}
