import Core
import Expr
import Graph
import Testing
import TestSupport

/// The graph lowering against the Double reference evaluator on randomized batches.
@Suite struct GraphLoweringTests {
  /// B prompts × G answers × T tokens with a random left-aligned mask (some rows empty).
  struct Batch {
    let b: Int, g: Int, t: Int
    var named: [String: NamedArray] = [:]
    var flat: [String: DoubleTensor] = [:]

    init(b: Int, g: Int, t: Int, seed: UInt64) {
      self.b = b; self.g = g; self.t = t
      var random = TestRandom(seed: seed)
      let tokenSizes: [Axis: Int] = [.batch: b, .group: g, .token: t]
      let rowSizes: [Axis: Int] = [.batch: b, .group: g]
      let lengths = random.integers(b * g, below: t + 1)
      let mask = lengths.flatMap { n in (0..<t).map { $0 < n ? 1.0 : 0.0 } }
      named["mask"] = NamedArray(axes: [.batch, .group, .token], sizes: tokenSizes, values: mask)
      flat["mask"] = DoubleTensor(shape: [b * g, t], values: mask)
      for name in ["logp", "adv", "ratio"] {
        let values = random.uniforms(b * g * t, 0.5, 2)
        named[name] = NamedArray(axes: [.batch, .group, .token], sizes: tokenSizes, values: values)
        flat[name] = DoubleTensor(shape: [b * g, t], values: values)
      }
      let reward = random.uniforms(b * g, -1, 1)
      named["reward"] = NamedArray(axes: [.batch, .group], sizes: rowSizes, values: reward)
      flat["reward"] = DoubleTensor(shape: [b * g], values: reward)
    }

    /// The lowered expression's values at every (batch, group, token) it varies along.
    func lowered(_ expr: TypedExpr) throws -> (values: DoubleTensor, layout: RowLayout) {
      let builder = GraphBuilder()
      let layout = RowLayout(groups: (0..<(b * g)).map { $0 / g }, tokens: t)
      var inputs: [String: GraphValue] = [:]
      for (name, value) in flat { inputs[name] = builder.input(name, value.shape) }
      let batch = BatchGraph(builder: builder, layout: layout, mask: try #require(inputs["mask"]))
      var lowering = GraphLowering(batch: batch, inputs: inputs)
      let output = try expr.lower(into: &lowering)
      let graph = try builder.build(outputs: [output])
      return (try ReferenceInterpreter.evaluate(graph, inputs: flat)[0], layout)
    }
  }

  static let formulas = [
    "(reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)",
    "-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv)",
    "mean(logp * adv, over: token) + sum(logp, over: token)",
    "std(logp, over: token) - max(adv, over: token) + min(ratio, over: token)",
    "sum(reward, over: batch) + mean(reward, over: batch) * std(reward, over: batch)",
    "mean(mean(reward, over: group), over: batch) + std(mean(reward, over: group), over: batch)",
    "mean(sum(reward, over: batch), over: group) + max(reward, over: group) - min(reward, over: batch)",
    "where(adv > 1, clip(ratio, 0.8, 1.2), ratio) * mean(adv, over: group) + exp(-abs(logp)) + sqrt(ratio) + log(ratio)",
    "max(mean(ratio, over: token), over: group) + sg(logp) - mean(logp, over: group)",
    "where(adv > 1, 1, 0) + where(reward > 0, 2, -1)",
  ]

  @Test("matches the reference evaluator on random batches", arguments: formulas)
  func matchesReference(formula: String) throws {
    for (seed, shape) in [(1, (2, 3, 4)), (2, (3, 2, 5)), (3, (1, 4, 1))] as [(UInt64, (Int, Int, Int))] {
      let batch = Batch(b: shape.0, g: shape.1, t: shape.2, seed: seed)
      let (checked, diagnostics) = ExprChecker.check(ExprSource(text: formula), in: .objective)
      #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
      let expr = try #require(checked)
      var evaluator = ReferenceEvaluator(inputs: batch.named)
      let expected = try expr.lower(into: &evaluator)
      let (got, _) = try batch.lowered(expr)
      for row in 0..<(batch.b * batch.g) {
        for token in 0..<batch.t {
          let index: [Axis: Int] = [.batch: row / batch.g, .group: row % batch.g, .token: token]
          let want = expected.element(at: index)
          let have = got.shape.rank == 0 ? got.values[0] : got.shape.rank == 1 ? got.values[row] : got.values[row * batch.t + token]
          #expect(isClose(have, want, rtol: 1e-5, atol: 1e-5), "\(formula) at \(index): \(have) vs \(want)")
        }
      }
    }
  }

  // Groups of sizes 3, 1, 2 (ids 7, 9, 7, 4, 4, 7): rewards 1, 5, 0, 2, 4, 2.
  // Group 7 = rows 0, 2, 5 -> mean 1, unbiased std 1; group 9 = row 1 -> mean 5, std 0; group 4 -> mean 3, std sqrt(2).
  @Test("group reductions follow the group ids when groups differ in size")
  func raggedGroups() throws {
    let builder = GraphBuilder()
    let layout = RowLayout(groups: [7, 9, 7, 4, 4, 7], tokens: 1)
    let reward = builder.input("reward", [6])
    let batch = BatchGraph(builder: builder, layout: layout, mask: builder.input("mask", [6, 1]))
    var lowering = GraphLowering(batch: batch, inputs: ["reward": reward])
    let expr = try #require(ExprChecker.check(ExprSource(text: "mean(reward, over: group) * 10 + std(reward, over: group)"), in: .advantage).expr)
    let graph = try builder.build(outputs: [try expr.lower(into: &lowering)])
    let result = try ReferenceInterpreter.evaluate(graph, inputs: [
      "reward": DoubleTensor(shape: [6], values: [1, 5, 0, 2, 4, 2]), "mask": DoubleTensor(shape: [6, 1], values: [1, 1, 1, 1, 1, 1]),
    ])[0]
    let expected = [11, 50, 11, 30 + 2.0.squareRoot(), 30 + 2.0.squareRoot(), 11]
    #expect(allClose(result.values, expected, rtol: 1e-6, atol: 1e-6), "\(result.values)")
  }
}

/// Gradients through lowered expressions (masked reductions, row matrices, clip, where).
@Suite struct GraphLoweringGradientTests {
  @Test("the gradient of lowered formulas matches finite differences", arguments: [
    "-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv) + std(logp, over: token)",
    "(reward - mean(reward, over: group)) / (std(reward, over: group) + 0.1) + sum(reward, over: batch)",
    "mean(logp * adv, over: token) * max(reward, over: group) - min(logp, over: token)",
  ])
  func gradient(formula: String) throws {
    let batch = GraphLoweringTests.Batch(b: 2, g: 3, t: 4, seed: 17)
    let expr = try #require(ExprChecker.check(ExprSource(text: formula), in: .objective).expr)
    let builder = GraphBuilder()
    var inputs: [String: GraphValue] = [:]
    for (name, value) in batch.flat { inputs[name] = builder.input(name, value.shape) }
    let layout = RowLayout(groups: (0..<6).map { $0 / 3 }, tokens: 4)
    var lowering = GraphLowering(batch: BatchGraph(builder: builder, layout: layout, mask: try #require(inputs["mask"])), inputs: inputs)
    let graph = try builder.build(outputs: [try expr.lower(into: &lowering)])
    var point = batch.flat
    point["mask"] = DoubleTensor(shape: [6, 4], values: [Double](repeating: 1, count: 24))
    let (error, at) = try GradientCheck.worstError(of: graph, inputs: point)
    #expect(error < 1e-5, "\(at)")
  }
}
