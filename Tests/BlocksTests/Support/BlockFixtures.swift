import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// Helpers for estimators of outcome rewards: rows of `tokens` real tokens with given rewards.
protocol OutcomeBatchTesting {}

extension OutcomeBatchTesting {
  func groupNorm(_ values: [String: ParamValue] = [:]) throws -> GroupNormalizedAdvantage {
    try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, values))
  }

  func batch(groups: [Int], rewards: [Double], tokens: Int = 2) -> TestBatch {
    var batch = TestBatch.random(groups: groups, lengths: groups.map { _ in tokens }, tokens: tokens, seed: 1)
    batch.inputs[.reward] = rewards
    return batch
  }
}

/// Helpers for the token scans: rows with a hole, one token and none, and random token rewards.
protocol TokenScanTesting {}

extension TokenScanTesting {
  /// Rows with real tokens, a hole (multi-turn observation tokens), a one-token row and an empty row.
  static var mask: [[Double]] { [[1, 1, 1, 1, 0], [1, 1, 0, 1, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 0, 0]] }

  func batch(seed: UInt64) -> TestBatch {
    var b = TestBatch.random(groups: [0, 0, 1, 1, 2], lengths: [5, 5, 5, 5, 5], tokens: 5, seed: seed)
    b.mask = Self.mask
    var random = TestRandom(seed: seed + 100)
    b.inputs[.tokenReward] = random.uniforms(25, -1, 1)
    return b
  }

  func rows(_ flat: [Double]) -> [[Double]] { (0..<5).map { BlockHarness.row(flat, $0, tokens: 5) } }

  func expectClose(_ got: [Double], _ want: [[Double]], mask: [[Double]]) {
    for (i, (x, m)) in zip(want.joined(), mask.joined()).enumerated() where m == 1 {
      // Scalars such as γ = 0.9 are Float32 constants in the graph: agreement to ~1e-7.
      #expect(isClose(got[i], x, rtol: 1e-5, atol: 1e-7), "at \(i): \(got[i]) vs \(x)")
    }
    for (i, m) in mask.joined().enumerated() where m == 0 { #expect(got[i] == 0) }
  }
}

/// Rows of one token each (ratio e^(logp − old), advantage = the reward), and block constructors.
enum PolicyFixtures {
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

  static func kl(_ values: [String: ParamValue]) throws -> KLPenalty {
    try KLPenalty(BlockHarness.params(KLPenalty.declaration, values))
  }
}
