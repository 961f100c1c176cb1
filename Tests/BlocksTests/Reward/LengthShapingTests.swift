import Blocks
import Expr
import Graph
import Testing
import TestSupport

/// `overlong` and `length_linear`, formulas of the response length.
@Suite struct LengthShapingTests {
  func evaluate(_ name: String, _ values: [String: ParamValue], lengths: [Int], rewards: [Double]) throws -> [Double] {
    let decl = try #require(BlockRegistry.standard.block(named: name))
    let shaping = try LengthShaping(BlockParams(decl, values: values))
    let tokens = 10
    let batch = PolicyBatch(layout: RowLayout(groups: Array(0..<lengths.count), tokens: tokens), present: [])
    let term = try shaping.emit(batch: batch, reward: batch[.reward])
    let graph = try batch.builder.build(outputs: [term])
    let mask = lengths.flatMap { n in (0..<tokens).map { $0 < n ? 1.0 : 0.0 } }
    var inputs = ["mask": DoubleTensor(shape: [lengths.count, tokens], values: mask), "reward": DoubleTensor(shape: [lengths.count], values: rewards)]
    for name in ["logp", "old_logp", "ref_logp"] { inputs[name] = DoubleTensor(shape: [lengths.count, tokens], values: mask.map { _ in 0 }) }
    return try ReferenceInterpreter.evaluate(graph, inputs: inputs)[0].values
  }

  // max 8, cache 4, penalty 1: L ≤ 4 → 0; L = 6 → (4 − 6)/4 = −0.5; L = 8 → −1; L = 10 > 8 → −1.
  @Test("matches DAPO's soft overlong punishment at and around the limit")
  func overlong() throws {
    let got = try evaluate("overlong", ["max": .int(8), "cache": .int(4)], lengths: [3, 4, 6, 8, 10], rewards: [1, 1, 1, 1, 1])
    #expect(allClose(got, [0, 0, -0.5, -1, -1], rtol: 1e-9, atol: 1e-12))
  }

  // coef 0.5, Lmax = 10: L = 4 → −0.2 where the reward is positive; only_correct zeroes the wrong answer.
  @Test("length_linear charges the relative length, only on correct answers by default")
  func lengthLinear() throws {
    let got = try evaluate("length_linear", ["coef": .float(0.5)], lengths: [4, 4], rewards: [1, 0])
    #expect(allClose(got, [-0.2, 0], rtol: 1e-9, atol: 1e-12))
  }
}
