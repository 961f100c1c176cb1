import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `kl: {estimator: full}`: the exact KL over the vocabulary from `[N, T, V]` log-probabilities.
@Suite struct FullKLTests {
  static func logSoftmax(_ logits: [Double]) -> [Double] {
    let top = logits.max() ?? 0
    let total = Foundation.log(logits.map { Foundation.exp($0 - top) }.reduce(0, +)) + top
    return logits.map { $0 - total }
  }

  /// One row of `positions` real tokens and one masked token, reward 0 (no policy loss), with
  /// `logp_full` and `ref_logp_full` given per real position; masked entries are NaN.
  static func batch(_ logp: [[Double]], _ ref: [[Double]], old: [[Double]]? = nil) -> TestBatch {
    let t = logp.count + 1, v = logp[0].count
    var b = TestBatch(groups: [0], mask: [Array(repeating: 1, count: t - 1) + [0]])
    let garbage = Array(repeating: Double.nan, count: v)
    b.vocabulary = v
    b.inputs = [.logp: Array(repeating: -1, count: t - 1) + [.nan], .oldLogp: Array(repeating: -1, count: t - 1) + [.nan],
                .refLogp: Array(repeating: -1, count: t - 1) + [.nan], .reward: [0],
                .logpFull: logp.flatMap { $0 } + garbage, .refLogpFull: ref.flatMap { $0 } + garbage]
    if let old { b.inputs[.oldLogpFull] = old.flatMap { $0 } + garbage }
    return b
  }

  static func recipe(_ values: [String: ParamValue] = [:]) throws -> PolicyRecipe {
    var recipe = try PolicyFixtures.recipe(ImportanceWeightedSurrogate())
    recipe.kl = try PolicyFixtures.kl(["estimator": .string("full"), "coef": .float(1)].merging(values) { $1 })
    return recipe
  }

  // π = (½, ½), π_ref = (¼, ¾): KL = ½·ln(½/¼) + ½·ln(½/¾) = ½·ln(4/3) = 0.143841;
  // d KL / d log π(v) = π(v)·(log π(v) − log π_ref(v) + 1): ½·(ln 2 + 1) = 0.846574, ½·(ln ⅔ + 1) = 0.297267.
  @Test("hand-computed: KL(π ‖ π_ref) over two entries and its gradient; a masked position's garbage stays out")
  func handComputed() throws {
    let half = Foundation.log(0.5)
    let out = try BlockHarness.evaluate(try Self.recipe(), on: Self.batch([[half, half]], [[Foundation.log(0.25), Foundation.log(0.75)]]))
    #expect(isClose(out["terms.kl"]![0], 0.143841, rtol: 1e-5))
    #expect(isClose(out["loss"]![0], 0.143841, rtol: 1e-5))
    #expect(allClose(out["grad_logp_full"]!, [0.846574, 0.297267, 0, 0], rtol: 1e-5))
  }

  // The logits and their log-softmax were run through torch.nn.functional.kl_div(ref, logp,
  // log_target=True, reduction='none').sum(-1).mean() in float64 (PyTorch 2.15, /tmp script):
  // per-position KL [0.3163644013373931, 1.2811368908006102], mean 0.7987506460690017, and
  // autograd's gradient with respect to logp (a leaf of the log-softmax) and the logits.
  @Test("matches torch kl_div(log_target=True) and its autograd, through a log-softmax too")
  func matchesTorch() throws {
    let logp = [[0.2, -1.0, 0.5], [1.5, 0.0, -2.0]].map(Self.logSoftmax)
    let ref = [[0.0, 0.3, -0.4], [-0.5, 0.25, 1.0]].map(Self.logSoftmax)
    let out = try BlockHarness.evaluate(try Self.recipe(), on: Self.batch(logp, ref))
    #expect(isClose(out["terms.kl"]![0], 0.7987506460690017, rtol: 1e-9))
    let torchGradLogp = [0.21319059208928184, -0.020998013051031855, 0.4659896216304466,
                         1.1178936061040663, 0.04915179816447713, -0.026476958868238212]
    let grad = out["grad_logp_full"]!
    #expect(allClose(Array(grad[0..<6]), torchGradLogp, rtol: 1e-9, atol: 1e-12), "\(grad)")
    #expect(grad[6..<9].allSatisfy { $0 == 0 })
    // Chained through the log-softmax: g_logit(v) = g(v) − π(v)·Σ_u g(u) = π(v)·(log π(v) − log π_ref(v) − KL)/2.
    let torchGradLogits = [-0.03508139486470258, -0.09577609850151371, 0.13085749336621622,
                           0.20786138727098377, -0.15390383656397952, -0.05395755070700406]
    var chained: [Double] = []
    for position in 0..<2 {
      let g = Array(grad[(position * 3)..<(position * 3 + 3)]), p = logp[position].map { Foundation.exp($0) }
      let total = g.reduce(0, +)
      chained += zip(g, p).map { $0 - $1 * total }
    }
    #expect(allClose(chained, torchGradLogits, rtol: 1e-9, atol: 1e-12))
  }

  @Test("against: old measures π against old_logp_full; in: reward charges KL(π_old ‖ π_ref) to the last token's reward")
  func againstOldAndInReward() throws {
    let half = Foundation.log(0.5), ref = [[Foundation.log(0.25), Foundation.log(0.75)]]
    // against old with old = ref: the same 0.143841 as against ref.
    let old = try BlockHarness.evaluate(try Self.recipe(["against": .string("old")]), on: Self.batch([[half, half]], [[half, half]], old: ref))
    #expect(isClose(old["terms.kl"]![0], 0.143841, rtol: 1e-5))
    // in: reward, coef ½: group of one, Dr. GRPO advantage = score = 0 − ½·0.143841 = −0.0719205 on the real token.
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    recipe.kl = try PolicyFixtures.kl(["estimator": .string("full"), "coef": .float(0.5), "in": .string("reward")])
    let reward = try BlockHarness.evaluate(recipe, on: Self.batch([[0, -100]], ref, old: [[half, half]]))
    #expect(isClose(reward["advantages"]![0], -0.0719205, rtol: 1e-5))
    #expect(isClose(reward["terms.kl"]![0], 0.143841, rtol: 1e-5))
    #expect(reward["grad_logp_full"] == nil)
  }

  @Test("a batch without the distributions is an error naming the missing key")
  func missingInput() throws {
    var b = Self.batch([[0, -50]], [[0, -50]])
    b.inputs[.refLogpFull] = nil
    let error = #expect(throws: CompileError.self) { try BlockHarness.evaluate(try Self.recipe(), on: b) }
    #expect(error?.message == "kl.estimator: full needs 'ref_logp_full' in the batch")
  }

  @Test("random distributions: the term equals a direct loop, grad_logp_full equals central differences",
        arguments: ["token_mean", "seq_mean_token_sum"])
  func randomized(mode: String) throws {
    var random = TestRandom(seed: 17)
    let v = 4, lengths = [3, 0, 2], t = 3
    var b = TestBatch(groups: [0, 0, 1], mask: lengths.map { n in (0..<t).map { $0 < n ? 1.0 : 0.0 } })
    b.vocabulary = v
    var logp: [Double] = [], ref: [Double] = []
    for m in b.flatMask {
      let (l, r) = (Self.logSoftmax(random.uniforms(v, -2, 2)), Self.logSoftmax(random.uniforms(v, -2, 2)))
      logp += m == 1 ? l : Array(repeating: .nan, count: v)
      ref += m == 1 ? r : Array(repeating: .infinity, count: v)
    }
    b.inputs = [.logp: random.uniforms(9, -2, -1), .oldLogp: random.uniforms(9, -2, -1), .refLogp: random.uniforms(9, -2, -1),
                .reward: [0, 0, 0], .logpFull: logp, .refLogpFull: ref]
    var recipe = try Self.recipe()
    recipe.aggregation = try LossAggregation(BlockHarness.params(LossAggregation.declaration, ["mode": .string(mode)]))
    let out = try BlockHarness.evaluate(recipe, on: b)
    // Direct loop: KL per real position, then the aggregation.
    var perRow: [[Double]] = [[], [], []]
    for (i, m) in b.flatMask.enumerated() where m == 1 {
      let range = (i * v)..<((i + 1) * v)
      perRow[i / t].append(zip(logp[range], ref[range]).map { Foundation.exp($0) * ($0 - $1) }.reduce(0, +))
    }
    let expected = mode == "token_mean"
      ? perRow.joined().reduce(0, +) / Double(perRow.joined().count)
      : perRow.filter { !$0.isEmpty }.map { $0.reduce(0, +) }.reduce(0, +) / 2
    #expect(isClose(out["terms.kl"]![0], expected, rtol: 1e-9))
    let analytic = try #require(out["grad_logp_full"])
    let step = 1e-6
    var worst = 0.0
    for (position, m) in b.flatMask.enumerated() {
      for k in (position * v)..<((position + 1) * v) {
        guard m == 1 else { #expect(analytic[k] == 0); continue }
        var plus = b, minus = b
        plus.inputs[.logpFull]?[k] += step
        minus.inputs[.logpFull]?[k] -= step
        let numeric = (try BlockHarness.evaluate(recipe, on: plus)["loss"]![0] - BlockHarness.evaluate(recipe, on: minus)["loss"]![0]) / (2 * step)
        worst = Swift.max(worst, Swift.abs(numeric - analytic[k]) / Swift.max(1, Swift.abs(numeric)))
      }
    }
    #expect(worst < 1e-6)
  }
}
