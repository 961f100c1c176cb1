import Blocks
import Foundation
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
}
