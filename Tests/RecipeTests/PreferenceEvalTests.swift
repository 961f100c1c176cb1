import Foundation
import Recipe
import Testing
import TestSupport

/// `porecipe eval` of preference recipes: the three batch formats and their bad input.
@Suite struct PreferenceEvalTests {
  static let pairs = #"{"chosen_logp": [-10, -20, -7], "rejected_logp": [-12, -18, -7], "ref_chosen_logp": [-11, -20, -8], "ref_rejected_logp": [-11, -19, -8], "chosen_len": [5, 10, 3], "rejected_len": [6, 8, 3]}"#

  static func run(_ recipe: String, _ batch: String, set: [String] = []) throws -> EvalReport {
    let directory = try TemporaryDirectory()
    let path = try directory.write("batch.json", batch)
    return RecipeEval.run(recipe: recipe, batch: path, overrides: set)
  }

  @Test("pairs with chosen equal to rejected are counted in a warning; the loss is still printed")
  func equalPairs() throws {
    let report = try Self.run("dpo", Self.pairs)
    #expect(report.exitCode == 0, "\(report.errors)")
    #expect(report.errors.hasPrefix("warning: "), "\(report.errors)")
    #expect(report.errors.hasSuffix("batch.json: 1 of 3 pairs have chosen equal to rejected (pair 2); they carry no preference\n"), "\(report.errors)")
    #expect(report.output.hasPrefix(#"{"loss":"#))
  }

  @Test("bad preference batches name the key and row", arguments: zip([
    #"{"chosen_logp": [-10], "rejected_logp": [-12], "ref_chosen_logp": [-11], "ref_rejected_logp": [-11], "chosen_len": [5], "rejected_len": [0]}"#,
    #"{"chosen_logp": [], "rejected_logp": [], "ref_chosen_logp": [], "ref_rejected_logp": [], "chosen_len": [], "rejected_len": []}"#,
    #"{"chosen_logp": [-10], "rejected_logp": [-12], "ref_chosen_logp": [-11], "ref_rejected_logp": [-11], "chosen_len": [5]}"#,
    #"{"logp": [-1], "ref_logp": [-1], "len": [1], "label": [1], "kl_logp": [-1], "kl_ref_logp": [-1]}"#,
  ], [
    "'rejected_len'[0] is 0: pair 0 has an empty response; a length counts its tokens, at least 1",
    "'chosen_logp' must be a non-empty list, one entry per pair",
    "missing key 'rejected_len'",
    "unknown key 'kl_logp'; a preference loss takes pairs:",
  ]))
  func badPairs(batch: String, message: String) throws {
    let report = try Self.run("dpo", batch)
    #expect(report.exitCode == 1)
    #expect(report.output.isEmpty)
    #expect(report.errors.contains(message), "\(report.errors)")
  }

  // bco_pair with δ given: Δ_w = (1, 0, 1), Δ_l = (−1, 1, 1), β = 0.1, δ = 0.2:
  // mean of softplus(δ − βΔ_w) + softplus(βΔ_l − δ). Without it δ is the batch mean of βΔ, 0.05.
  @Test("bco_pair reads the running mean δ as bco_delta when the batch gives it")
  func bcoDelta() throws {
    let batch = Self.pairs.replacingOccurrences(of: "}", with: #", "bco_delta": 0.2}"#)
    let report = try Self.run("dpo", batch, set: ["objective.bco_pair.beta=0.1"])
    #expect(report.exitCode == 0, "\(report.errors)")
    let sp = { (x: Double) in Foundation.log(1 + Foundation.exp(x)) }
    let expected = ((sp(0.1) + sp(-0.3)) + (sp(0.2) + sp(-0.1)) + (sp(0.1) + sp(-0.1))) / 3
    #expect(isClose(report.values["loss"]?.first ?? .nan, expected, rtol: 1e-6), "\(report.output)")
    let without = try Self.run("dpo", Self.pairs, set: ["objective.bco_pair.beta=0.1"])
    #expect(without.exitCode == 0)
    let batchMean = ((sp(-0.05) + sp(-0.15)) + (sp(0.05) + sp(0.05)) + (sp(-0.05) + sp(0.05))) / 3
    #expect(isClose(without.values["loss"]?.first ?? .nan, batchMean, rtol: 1e-6))
  }

  static let unpaired = #"{"logp": [-10, -12, -8], "ref_logp": [-11, -11, -8], "len": [4, 5, 3], "label": [1, 0, 1], "kl_logp": [-9, -10, -7], "kl_ref_logp": [-10, -10, -9]}"#

  @Test("kto takes unpaired examples and prints grad_logp [P] and the kl term")
  func kto() throws {
    let report = try Self.run("dpo", Self.unpaired, set: ["objective.kto.beta=0.1"])
    #expect(report.exitCode == 0, "\(report.errors)")
    #expect(report.values["grad_logp"]?.count == 3)
    #expect(report.output.contains(#""grad_logp":[-"#), "\(report.output)")
    #expect(report.output.contains(#""kl":1"#), "\(report.output)")
    let bad = try Self.run("dpo", Self.unpaired.replacingOccurrences(of: #""label": [1, 0, 1]"#, with: #""label": [1, 2, 1]"#),
                           set: ["objective.kto.beta=0.1"])
    #expect(bad.errors.contains("'label'[1] is 2; a label is 1 (desirable) or 0 (undesirable)"), "\(bad.errors)")
  }

  static let lists = #"{"logp": [[-6, -9, -4], [-10, -10, -3]], "ref_logp": [[-7, -8, -4], [-10, -12, -3]], "score": [[1, 0, 0.5], [1, 1, 1]], "len": [[3, 3, 2], [5, 5, 1]]}"#

  @Test("lipo takes lists and prints grad_logp [P][K]; lists without a preference are counted")
  func lipo() throws {
    let report = try Self.run("dpo", Self.lists, set: ["objective.lipo.beta=0.1"])
    #expect(report.exitCode == 0, "\(report.errors)")
    #expect(report.output.contains(#""grad_logp":[["#), "\(report.output)")
    #expect(report.errors.contains("1 of 2 lists have the same score for every response (list 1)"), "\(report.errors)")
  }

  @Test("bad lists name the key and position", arguments: zip([
    #"{"logp": [[-6]], "ref_logp": [[-7]], "score": [[1]], "len": [[3]], "nll": [1]}"#,
    #"{"logp": [[-6, -5]], "ref_logp": [[-7, -5]], "score": [[1, 0]], "len": [[3, 0]], "nll": [1]}"#,
    #"{"logp": [[-6, -5]], "ref_logp": [[-7, -5, -1]], "score": [[1, 0]], "len": [[3, 2]], "nll": [1]}"#,
    #"{"logp": [[-6, -5]], "ref_logp": [[-7, -5]], "score": [[1, 0]], "len": [[3, 2]]}"#,
  ], [
    "'logp'[0] has 1 response; a list needs at least 2",
    "'len'[0][1] is 0: list 0 has an empty response",
    "'ref_logp'[0] must be a list of 2 numbers",
    "missing key 'nll' (pro adds the NLL of each list's best response, [P])",
  ]))
  func badLists(batch: String, message: String) throws {
    let report = try Self.run("dpo", batch, set: ["objective.pro.sft_weight=0.1"])
    #expect(report.exitCode == 1)
    #expect(report.errors.contains(message), "\(report.errors)")
  }
}
