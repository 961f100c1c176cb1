import Blocks
import Core
import Foundation
import Graph
import Testing
import TestSupport

/// The pairwise preference losses against their formulas, and their gradients.
@Suite struct PairwisePreferenceLossTests {
  static let pairs: [String: [Double]] = [
    "chosen_logp": [-10, -20], "rejected_logp": [-12, -18], "ref_chosen_logp": [-11, -20], "ref_rejected_logp": [-11, -19],
    "chosen_len": [5, 10], "rejected_len": [6, 8],
  ]

  static func decl(_ name: String) throws -> BlockDecl { try #require(BlockRegistry.standard.block(named: name)) }

  static func evaluate(_ name: String, _ values: [String: ParamValue] = [:], pairs: [String: [Double]] = pairs) throws -> [String: [Double]] {
    let loss = try PairwisePreferenceLoss(BlockParams(try decl(name), values: values))
    let program = try PreferenceProgram.compile(loss, pairs: 2, span: nil)
    var inputs = pairs.mapValues { DoubleTensor(shape: [2], values: $0) }
    if loss.needsChosenNLL { inputs["chosen_nll"] = DoubleTensor(shape: .scalar, values: [1.5]) }
    let results = try ReferenceInterpreter.evaluate(program.graph, inputs: inputs)
    return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
  }

  static func softplus(_ x: Double) -> Double { Foundation.log(1 + Foundation.exp(x)) }

  // h = (−10 + 11) − (−12 + 11) = 2 and (−20 + 20) − (−18 + 19) = −1; β = 0.1:
  // loss = mean(softplus(−0.2), softplus(0.1)) = (0.598139 + 0.744397) / 2 = 0.671268;
  // d/dchosen_1 = −β·σ(−0.2) / 2 = −0.1·0.450166 / 2 = −0.0225083.
  @Test("matches TRL DPOTrainer sigmoid loss by hand")
  func dpo() throws {
    let out = try Self.evaluate("dpo")
    #expect(isClose(out["loss"]![0], (Self.softplus(-0.2) + Self.softplus(0.1)) / 2, rtol: 1e-6))
    #expect(isClose(out["grad_chosen_logp"]![0], -0.0225083, rtol: 1e-5))
    #expect(isClose(out["terms.margin"]![0], 0.05, rtol: 1e-6))
  }

  // ε = 0.1: −0.9·log σ(βh) − 0.1·log σ(−βh) = 0.9·softplus(−βh) + 0.1·softplus(βh).
  @Test("label smoothing gives conservative DPO")
  func conservative() throws {
    let out = try Self.evaluate("dpo", ["label_smoothing": .float(0.1)])
    let expected = (0.9 * Self.softplus(-0.2) + 0.1 * Self.softplus(0.2) + 0.9 * Self.softplus(0.1) + 0.1 * Self.softplus(-0.1)) / 2
    #expect(isClose(out["loss"]![0], expected, rtol: 1e-6))
  }

  // IPO, β = 0.1, per-token means: h = 1/5 + 1/6 = 0.366667 and 0 − 1/8 = −0.125; target 1/(2β) = 5:
  // loss = ((0.366667 − 5)² + (−0.125 − 5)²) / 2 = (21.467778 + 26.265625) / 2 = 23.866701.
  @Test("matches the IPO squared loss with per-token means (TRL ipo)")
  func ipo() throws {
    #expect(isClose(try Self.evaluate("ipo")["loss"]![0], 23.866701, rtol: 1e-6))
  }

  // SimPO β = 2, γ = 1: −log σ(m − γ) = softplus(γ − m); rewards −4 vs −4 (m = 0) → softplus(1);
  // −4 vs 2·(−18/8) = −4.5 (m = 0.5) → softplus(0.5).
  @Test("matches SimPO's length-normalized margin without a reference")
  func simpo() throws {
    #expect(isClose(try Self.evaluate("simpo")["loss"]![0], (Self.softplus(1) + Self.softplus(0.5)) / 2, rtol: 1e-6))
  }

  @Test("the gradients match finite differences", arguments: ["dpo", "robust", "ipo", "simpo", "orpo", "hinge", "exo_pair", "nca_pair",
                                                              "bco_pair", "sppo_hard", "aot", "aot_pair", "apo_zero", "apo_down",
                                                              "discopop", "sigmoid_norm"])
  func gradients(name: String) throws {
    let out = try Self.evaluate(name)
    for key in ["chosen_logp", "rejected_logp"] {
      for i in 0..<2 {
        var plus = Self.pairs, minus = Self.pairs
        plus[key]![i] += 1e-6
        minus[key]![i] -= 1e-6
        let numeric = (try Self.evaluate(name, pairs: plus)["loss"]![0] - Self.evaluate(name, pairs: minus)["loss"]![0]) / 2e-6
        #expect(isClose(out["grad_\(key)"]![i], numeric, rtol: 1e-5, atol: 1e-7), "\(name) \(key)[\(i)]")
      }
    }
  }

  // aot sorts across the batch: logp_w − logp_l = (2, −2), ref = (0, −1); sorted: (−2, 2) − (−1, 0) = (−1, 2);
  // loss = mean(softplus(0.1), softplus(−0.2)) — the pairing of the sorted values, not of the rows.
  @Test("aot compares the sorted batch of policy log-ratios with the sorted reference ones")
  func aotSorts() throws {
    let out = try Self.evaluate("aot")
    #expect(isClose(out["loss"]![0], (Self.softplus(0.1) + Self.softplus(-0.2)) / 2, rtol: 1e-6))
  }

  // nca_pair with Δ_w = (1, 0), Δ_l = (−1, 1), β = 0.1:
  // mean over pairs of softplus(−0.1) + ½·softplus(0.1) + ½·softplus(−0.1) and softplus(0) + ½·softplus(0) + ½·softplus(0.1).
  @Test("nca_pair by hand")
  func nca() throws {
    let sp = Self.softplus
    let expected = ((sp(-0.1) + 0.5 * sp(0.1) + 0.5 * sp(-0.1)) + (sp(0) + 0.5 * sp(0) + 0.5 * sp(0.1))) / 2
    #expect(isClose(try Self.evaluate("nca_pair")["loss"]![0], expected, rtol: 1e-6))
  }

  @Test("each preference block compiles to the format of its data", arguments: zip(
    ["dpo", "discopop", "kto", "lipo", "pro"], [PreferenceFormat.pairs, .pairs, .unpaired, .lists, .lists]))
  func format(name: String, expected: PreferenceFormat) throws {
    var values: [String: ParamValue] = [:]
    if name == "pro" { values["sft_weight"] = .float(0.1) }
    #expect(try PreferenceLoss(BlockParams(try Self.decl(name), values: values)).format == expected)
  }
}
