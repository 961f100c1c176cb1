import Blocks
import Expr
import Graph
import Testing
import TestSupport

/// The update stage on micro-batches: with the minibatch's counts, the micro-batches' losses
/// and gradients add up to the minibatch's (verl's global token and sequence counts).
@Suite struct MicroBatchTests {
  @Test("micro-batch gradients add up to the minibatch gradient", arguments: LossAggregation.Mode.allCases)
  func microBatches(mode: LossAggregation.Mode) throws {
    let full = TestBatch.random(groups: [0, 0, 0, 1, 1, 1], lengths: [4, 1, 0, 3, 4, 2], tokens: 4, seed: 41)
    var recipe = try BlockHarness.recipe(try GeneralizedAdvantageEstimation(BlockHarness.params(GeneralizedAdvantageEstimation.declaration)))
    recipe.policyLoss = try PolicyFixtures.clip(["low": .float(0.1)])
    recipe.kl = try PolicyFixtures.kl(["estimator": .string("k3"), "coef": .float(0.1)])
    recipe.value = try ValueLoss(BlockHarness.params(ValueLoss.declaration))
    recipe.aggregation = try LossAggregation(BlockHarness.params(LossAggregation.declaration, ["mode": .string(mode.rawValue)]))
    let whole = try BlockHarness.evaluate(recipe, on: full)

    let t = full.tokens
    let counts = (tokens: full.flatMask.reduce(0, +), sequences: Double(full.mask.filter { $0.contains(1) }.count), rows: Double(full.rows))
    var loss = 0.0, gradLogp: [Double] = [], gradValue: [Double] = []
    for rows in [0..<2, 2..<6] {
      var part = TestBatch(groups: Array(full.groups[rows]), mask: Array(full.mask[rows]))
      for (input, values) in full.inputs {
        part.inputs[input] = input.isPerSequence ? Array(values[rows]) : Array(values[(rows.lowerBound * t)..<(rows.upperBound * t)])
      }
      let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: part.groups, tokens: t), present: Set(part.inputs.keys), stage: .update)
      var inputs = part.tensors()
      let slice = (rows.lowerBound * t)..<(rows.upperBound * t)
      inputs["advantages"] = DoubleTensor(shape: [rows.count, t], values: Array(whole["advantages"]![slice]))
      inputs["returns"] = DoubleTensor(shape: [rows.count, t], values: Array(whole["returns"]![slice]))
      inputs["token_count"] = DoubleTensor(shape: .scalar, values: [counts.tokens])
      inputs["sequence_count"] = DoubleTensor(shape: .scalar, values: [counts.sequences])
      inputs["row_count"] = DoubleTensor(shape: .scalar, values: [counts.rows])
      let results = try ReferenceInterpreter.evaluate(program.graph, inputs: inputs)
      let out = Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
      loss += out["loss"]![0]
      gradLogp += out["grad_logp"]!
      gradValue += out["grad_value_pred"]!
    }
    #expect(isClose(loss, whole["loss"]![0], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(gradLogp, whole["grad_logp"]!, rtol: 1e-9, atol: 1e-12))
    #expect(allClose(gradValue, whole["grad_value_pred"]!, rtol: 1e-9, atol: 1e-12))
  }
}
