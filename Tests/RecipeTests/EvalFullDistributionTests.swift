import Blocks
import Core
import Expr
import Foundation
import Graph
import Recipe
import Testing
import TestSupport

/// `porecipe eval` with whole distributions (`kl.estimator: full`) and a proximal policy
/// (`ratio.proximal: ewma`): the batch keys, their checks and the outputs.
@Suite struct EvalFullDistributionTests {
  static let base = #""group": [0], "mask": [[1, 0]], "logp": [[-0.7, null]], "old_logp": [[-0.7, null]], "ref_logp": [[-1.4, null]], "reward": [1]"#
  static let half = Foundation.log(0.5), quarter = Foundation.log(0.25), threeQuarters = Foundation.log(0.75)

  static func run(_ json: String, overrides: [String]) throws -> EvalReport {
    let directory = try TemporaryDirectory()
    let batch = try directory.write("batch.json", json)
    let recipe = try directory.write("kl.yaml", "advantage: {group_norm: {std: false}}\nobjective: {clip: {low: 0.2}, kl: {estimator: full, coef: 1}}\n")
    return RecipeEval.run(recipe: recipe, batch: batch, overrides: overrides)
  }

  @Test("logp_full and ref_logp_full [N][T][V]: the KL term and grad_logp_full [N][T][V] in the output")
  func fullKL() throws {
    let json = "{\(Self.base), \"logp_full\": [[[\(Self.half), \(Self.half)], null]], \"ref_logp_full\": [[[\(Self.quarter), \(Self.threeQuarters)], null]]}"
    let report = try Self.run(json, overrides: [])
    #expect(report.exitCode == 0, "\(report.errors)")
    // ½·ln(4/3) = 0.143841; gradient π(v)·(log π(v) − log π_ref(v) + 1) = 0.846574, 0.297267; 0 at the masked position.
    #expect(isClose(report.values["terms.kl"]?.first ?? 0, 0.143841, rtol: 1e-5))
    #expect(allClose(report.values["grad_logp_full"] ?? [], [0.846574, 0.297267, 0, 0], rtol: 1e-5))
    #expect(report.output.contains(#""grad_logp_full":[[[0.84657"#), "\(report.output)")
  }

  @Test("a bad distribution names the key and the position", arguments: zip([
    #", "logp_full": [[[0, 0], null]], "ref_logp_full": [[[0, -50], null]]"#,
    #", "logp_full": [[[0, -50], null]], "ref_logp_full": [[[0, -50, -50], null]]"#,
    #", "logp_full": [[null, null]], "ref_logp_full": [[[0, -50], null]]"#,
    #", "logp_full": [[[0, -50]]], "ref_logp_full": [[[0, -50], null]]"#,
  ], [
    "'logp_full'[0][0] is not a distribution: Σ exp = 2.0; give log-probabilities (a log-softmax)",
    "'ref_logp_full'[0][0] must be a list of 2 log-probabilities, one per vocabulary entry (the vocabulary of the batch's other distributions)",
    "'logp_full'[0][0] must be a list of log-probabilities, one per vocabulary entry",
    "'logp_full'[0] must be a list of 2 distributions (the width of 'mask')",
  ]))
  func badDistribution(keys: String, message: String) throws {
    #expect(throws: BatchError(message)) { try EvalBatch.parse(Data("{\(Self.base)\(keys)}".utf8)) }
  }

  @Test("a missing distribution is an error at the kl line with the key to add")
  func missing() throws {
    let report = try Self.run("{\(Self.base)}", overrides: [])
    #expect(report.exitCode == 1)
    #expect(report.errors.contains(":2:31: error: kl.estimator: full needs 'logp_full' in the batch"), "\(report.errors)")
    #expect(report.errors.contains(#"= help: add "logp_full": [N][T][V] log-probabilities to the batch JSON"#))
  }

  // PPO-EWMA on one token: logp −0.7, prox −0.9, old −1.2, A = 1 (group of one, Dr. GRPO: the reward):
  // ρ = e^0.2 = 1.221403 > 1.2, clipped: ℓ = −1.2·w with w = e^0.3 = 1.349859 → −1.619831, no gradient.
  @Test("prox_logp: the ratio against the proximal policy, the detached correction π_prox/π_old")
  func proximal() throws {
    let json = #"{"group": [0], "mask": [[1]], "logp": [[-0.7]], "old_logp": [[-1.2]], "ref_logp": [[-0.7]], "reward": [1], "prox_logp": [[-0.9]]}"#
    let report = try Self.run(json, overrides: ["objective.kl.estimator=k1", "objective.ratio.proximal=ewma"])
    #expect(report.exitCode == 0, "\(report.errors)")
    #expect(isClose(report.values["terms.pg_loss"]?.first ?? 0, -1.2 * Foundation.exp(0.3), rtol: 1e-9))
    // k1 = logp − ref = 0: the gradient is the clipped surrogate's, 0, plus coef·1 from k1.
    #expect(report.values["grad_logp"] == [1])
  }

  @Test("the planned Float32 executable agrees with the Double evaluation: full KL against old, PPO-EWMA ratio")
  func float32() throws {
    // 2 rows × 3 tokens (the last of row 1 masked) over V = 4; logits from a fixed sine pattern.
    func distribution(_ seed: Double) -> String {
      let logits = (0..<4).map { Foundation.sin(seed * 1.7 + Double($0) * 2.3) * 1.5 }
      let total = Foundation.log(logits.map { Foundation.exp($0) }.reduce(0, +))
      return "[" + logits.map { "\($0 - total)" }.joined(separator: ",") + "]"
    }
    func full(_ offset: Double) -> String {
      "[" + (0..<2).map { i in "[" + (0..<3).map { t in distribution(Double(i * 3 + t) + offset) }.joined(separator: ",") + "]" }.joined(separator: ",") + "]"
    }
    let json = """
      {"group": [0, 0], "mask": [[1, 1, 1], [1, 1, 0]], "reward": [1, 0],
       "logp": [[-0.5, -1.1, -0.9], [-1.3, -0.2, 0]], "old_logp": [[-0.6, -1.0, -0.7], [-1.2, -0.3, 0]],
       "ref_logp": [[-0.5, -1.0, -0.8], [-1.0, -0.4, 0]], "prox_logp": [[-0.55, -1.05, -0.8], [-1.25, -0.25, 0]],
       "logp_full": \(full(0)), "old_logp_full": \(full(0.4)), "ref_logp_full": \(full(0.9))}
      """
    let batch = try EvalBatch.parse(Data(json.utf8))
    #expect(batch.vocabulary == 4)
    let checked = RecipeEval.check(recipe: "grpo", overrides: ["objective.kl.estimator=full", "objective.kl.against=old", "objective.ratio.proximal=ewma"])
    let recipe = try PolicyCompiler.recipe(from: checked)
    let double = try RecipeEval.evaluate(recipe, on: batch)
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: batch.groups, tokens: batch.tokens), present: Set(batch.inputs.keys),
                                            vocabulary: batch.vocabulary)
    let executable = try Planner.plan(program.graph)
    let inputs = program.graph.inputNames.map { name -> Tensor in
      guard name != "mask", let input = PolicyBatch.Input(rawValue: name), let values = batch.inputs[input] else {
        return Tensor(shape: [batch.rows, batch.tokens], scalars: batch.mask.map(Float.init))
      }
      return Tensor(shape: input.shape(rows: batch.rows, tokens: batch.tokens, vocabulary: batch.vocabulary), scalars: values.map(Float.init))
    }
    let outputs = try executable.run(inputs)
    #expect(program.outputNames.contains("grad_logp_full"))
    for (output, name) in zip(outputs, program.outputNames) {
      let want = try #require(double[name])
      #expect(allClose(output.scalars.map(Double.init), want, rtol: 1e-4, atol: 1e-5), "\(name): \(firstMismatch(output.scalars.map(Double.init), want, rtol: 1e-4, atol: 1e-5) ?? "")")
    }
  }
}

