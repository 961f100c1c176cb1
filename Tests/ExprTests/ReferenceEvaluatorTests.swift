import Expr
import Testing

/// The reference semantics of checked expressions, which the graph lowering must match.
@Suite struct ReferenceEvaluatorTests {
  func evaluate(_ text: String, _ context: ExprContext, _ inputs: [String: NamedArray]) throws -> NamedArray {
    let (expr, diagnostics) = ExprChecker.check(ExprSource(text: text), in: context)
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    var evaluator = ReferenceEvaluator(inputs: inputs)
    return try #require(expr).lower(into: &evaluator)
  }

  // One prompt, group of 3, rewards [1, 0, 0]: mean 1/3; unbiased std = sqrt((4/9 + 1/9 + 1/9) / 2) = sqrt(1/3) = 0.57735;
  // advantages (1 - 1/3) / 0.57735 = 1.154701 and (0 - 1/3) / 0.57735 = -0.577350 (eps 0).
  @Test("the GRPO advantage formula on a group of 3")
  func grpo() throws {
    let reward = NamedArray(axes: [.batch, .group], sizes: [.batch: 1, .group: 3], values: [1, 0, 0])
    let advantage = try evaluate("(reward - mean(reward, over: group)) / std(reward, over: group)", .advantage, ["reward": reward])
    #expect(advantage.axes == [.batch, .group])
    let expected = [1.154701, -0.577350, -0.577350]
    for (value, target) in zip(advantage.values, expected) { #expect(abs(value - target) < 1e-6) }
  }

  // ratio [1.5, 0.5], adv [1, -1], clip to [0.8, 1.2]: min(1.5, 1.2) = 1.2 -> loss -1.2;
  // min(-0.5, -0.8) = -0.8 -> loss 0.8.
  @Test("the clipped surrogate picks the pessimistic branch")
  func clipped() throws {
    let sizes: [Axis: Int] = [.batch: 1, .group: 1, .token: 2]
    let ratio = NamedArray(axes: [.batch, .group, .token], sizes: sizes, values: [1.5, 0.5])
    let adv = NamedArray(axes: [.batch, .group, .token], sizes: sizes, values: [1, -1])
    let loss = try evaluate("-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv)", .objective, ["ratio": ratio, "adv": adv])
    #expect(loss.values == [-1.2, 0.8])
  }

  // logp [1, 2, 100] with the third token masked: mean over token = 1.5.
  @Test("reductions over token skip masked positions")
  func masked() throws {
    let sizes: [Axis: Int] = [.batch: 1, .group: 1, .token: 3]
    let logp = NamedArray(axes: [.batch, .group, .token], sizes: sizes, values: [1, 2, 100])
    let mask = NamedArray(axes: [.batch, .group, .token], sizes: sizes, values: [1, 1, 0])
    let mean = try evaluate("mean(logp, over: token)", .objective, ["logp": logp, "mask": mask])
    #expect(mean.values == [1.5])
  }

  @Test("an input the batch lacks is a typed error")
  func missing() throws {
    let (expr, _) = ExprChecker.check(ExprSource(text: "reward + 1"), in: .advantage)
    var evaluator = ReferenceEvaluator(inputs: [:])
    #expect(throws: MissingInput(name: "reward")) { try expr?.lower(into: &evaluator) }
  }
}
