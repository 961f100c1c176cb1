import Blocks
import Testing
import TestSupport

/// `gae`, `returns`, `reinforce_pp`, `remax` and the `batch_norm` modifier: backward scans
/// over tokens and whitening over the batch.
@Suite struct ScanAdvantageTests {
  /// Rows with real tokens, a hole (multi-turn observation tokens), a one-token row and an empty row.
  static let mask: [[Double]] = [[1, 1, 1, 1, 0], [1, 1, 0, 1, 1], [1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 1, 1, 0, 0]]

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

  @Test("matches verl compute_gae_advantage_return on rows with holes, one token and none", arguments: ["none", "batch"])
  func gae(normalize: String) throws {
    let b = batch(seed: 5)
    let estimator = try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration,
      ["gamma": .float(0.9), "lambda": .float(0.8), "normalize": .string(normalize)]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    let values = rows(b.inputs[.values]!).map { $0.map { $0.isNaN ? 0 : $0 } }
    let (advantages, returns) = VerlReference.gae(rewards: rows(b.inputs[.tokenReward]!), values: values, mask: Self.mask, gamma: 0.9, lambda: 0.8)
    expectClose(out["advantages"]!, normalize == "none" ? advantages : VerlReference.whiten(advantages, mask: Self.mask), mask: Self.mask)
    expectClose(out["returns"]!, returns, mask: Self.mask)
  }

  // One row, rewards [0, 1], values [0.5, 0.25], γ = λ = 1: A_1 = 1 − 0.25 = 0.75,
  // A_0 = (0 + 0.25 − 0.5) + 0.75 = 0.5; returns 1, 1.
  @Test("GAE by hand on two tokens")
  func gaeHand() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1]])
    b.inputs = [.logp: [0, 0], .oldLogp: [0, 0], .refLogp: [0, 0], .reward: [1], .values: [0.5, 0.25]]
    let estimator = try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration,
      ["gamma": .float(1), "lambda": .float(1), "normalize": .string("none")]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    #expect(allClose(out["advantages"]!, [0.5, 0.75], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(out["returns"]!, [1, 1], rtol: 1e-9, atol: 1e-12))
  }

  @Test("matches verl compute_reinforce_plus_plus_outcome_advantage")
  func reinforcePlusPlus() throws {
    let b = batch(seed: 6)
    let estimator = try WhitenedReturnAdvantage(BlockHarness.params(WhitenedReturnAdvantage.declaration, ["gamma": .float(0.95)]))
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(estimator), on: b)
    let rewards = zip(rows(b.inputs[.tokenReward]!), Self.mask).map { zip($0, $1).map { $0 * $1 } }
    let (advantages, returns) = VerlReference.reinforcePlusPlus(rewards: rewards, mask: Self.mask, gamma: 0.95)
    expectClose(out["advantages"]!, advantages, mask: Self.mask)
    expectClose(out["returns"]!, returns, mask: Self.mask)
  }

  // Outcome reward 1 on the last of 3 tokens, baseline 0.25: returns 1, 1, 1; advantages 0.75 each.
  @Test("matches verl compute_remax_outcome_advantage by hand")
  func remax() throws {
    var b = TestBatch(groups: [0, 0], mask: [[1, 1, 1], [1, 0, 0]])
    b.inputs = [.logp: [Double](repeating: 0, count: 6), .oldLogp: [Double](repeating: 0, count: 6), .refLogp: [Double](repeating: 0, count: 6),
                .reward: [1, 0.5], .baselineReward: [0.25, 1]]
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try GreedyBaselineAdvantage(BlockHarness.params(GreedyBaselineAdvantage.declaration))), on: b)
    #expect(allClose(out["returns"]!, [1, 1, 1, 0.5, 0, 0], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(out["advantages"]!, [0.75, 0.75, 0.75, -0.5, 0, 0], rtol: 1e-9, atol: 1e-12))
  }

  // rewards [1, 2, 3] on 3 real tokens, γ = 0.5: G = [1 + 0.5·(2 + 0.5·3), 2 + 1.5, 3] = [2.75, 3.5, 3];
  // baseline value V = [1, 1, 1]: A = [1.75, 2.5, 2]. 1-step with V: G_0 = 1 + 0.5·1 = 1.5.
  @Test("discounted returns, value baseline and n-step bootstrapping by hand")
  func returns() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1, 1, 0]])
    b.inputs = [.logp: [0, 0, 0, 0], .oldLogp: [0, 0, 0, 0], .refLogp: [0, 0, 0, 0], .reward: [0],
                .tokenReward: [1, 2, 3, .nan], .values: [1, 1, 1, .nan]]
    let decl = DiscountedReturns.declaration
    let full = try BlockHarness.evaluate(try BlockHarness.recipe(try DiscountedReturns(BlockHarness.params(decl, ["gamma": .float(0.5), "baseline": .string("value")]))), on: b)
    #expect(allClose(full["returns"]!, [2.75, 3.5, 3, 0], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(full["advantages"]!, [1.75, 2.5, 2, 0], rtol: 1e-9, atol: 1e-12))
    let oneStep = try BlockHarness.evaluate(try BlockHarness.recipe(try DiscountedReturns(BlockHarness.params(decl, ["gamma": .float(0.5), "n": .int(1)]))), on: b)
    #expect(allClose(oneStep["returns"]!, [1.5, 2.5, 3, 0], rtol: 1e-9, atol: 1e-12))
  }

  @Test("batch_norm whitens any advantage like verl masked_whiten; shift: false keeps the mean")
  func batchNorm() throws {
    let b = batch(seed: 8)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    let raw = try BlockHarness.evaluate(recipe, on: b)["advantages"]!
    recipe.modifiers = [try BatchWhitening(BlockHarness.params(BatchWhitening.declaration))]
    expectClose(try BlockHarness.evaluate(recipe, on: b)["advantages"]!, VerlReference.whiten(rows(raw), mask: Self.mask), mask: Self.mask)
    recipe.modifiers = [try BatchWhitening(BlockHarness.params(BatchWhitening.declaration, ["shift": .bool(false)]))]
    let kept = try BlockHarness.evaluate(recipe, on: b)["advantages"]!
    let real = zip(raw, b.flatMask).filter { $0.1 == 1 }.map(\.0)
    let mean = real.reduce(0, +) / Double(real.count)
    expectClose(kept, VerlReference.whiten(rows(raw), mask: Self.mask).map { $0.map { $0 + mean } }, mask: Self.mask)
  }
}
