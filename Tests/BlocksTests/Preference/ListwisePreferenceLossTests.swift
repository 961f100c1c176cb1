import Blocks
import Core
import Foundation
import Graph
import Testing
import TestSupport

/// LiPO and PRO on lists of K responses: by hand, in the K = 2 case, on ties, and their gradients.
@Suite struct ListwisePreferenceLossTests {
  // 2 lists of 3 responses.
  static let lists: [String: [Double]] = [
    "logp": [-6, -9, -4, -10, -10, -3], "ref_logp": [-7, -8, -4, -10, -12, -3], "score": [1, 0, 0.5, 0, 1, 1],
    "len": [3, 3, 2, 5, 5, 1],
  ]

  static func evaluate(_ name: String, _ values: [String: ParamValue] = [:], lists: [String: [Double]] = lists,
                       rows: Int = 2, items: Int = 3) throws -> [String: [Double]] {
    let decl = try #require(BlockRegistry.standard.block(named: name))
    let loss = try PreferenceLoss(BlockParams(decl, values: values))
    let program = try PreferenceProgram.compile(loss, rows: rows, items: items, span: nil)
    var inputs = lists.mapValues { DoubleTensor(shape: [rows, items], values: $0) }
    if name == "pro" { inputs["nll"] = DoubleTensor(shape: [rows], values: Array(repeating: 2, count: rows)) }
    let results = try ReferenceInterpreter.evaluate(program.graph, inputs: inputs)
    return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
  }

  static func softplus(_ x: Double) -> Double { Foundation.log(1 + Foundation.exp(x)) }

  // K = 2 with weighting none: one pair per list, softplus(−(s_w − s_l)) = DPO's per-pair loss.
  @Test("lipo on lists of two without weights is DPO")
  func twoIsDPO() throws {
    let lists: [String: [Double]] = ["logp": [-10, -12, -20, -18], "ref_logp": [-11, -11, -20, -19], "score": [1, 0, 1, 0], "len": [5, 6, 10, 8]]
    let out = try Self.evaluate("lipo", ["weighting": .string("none")], lists: lists, items: 2)
    #expect(isClose(out["loss"]![0], (Self.softplus(-0.2) + Self.softplus(0.1)) / 2, rtol: 1e-9))
  }

  // List 1: s = 0.1·(1, −1, 0) = (0.1, −0.1, 0); ranks τ = (1, 3, 2); ψ = (1, 0, 0.5), G = (1, 0, √2 − 1).
  // pairs ψ_i > ψ_j: (0,1): |1 − 0|·|1/log2(2) − 1/log2(4)| = 0.5, softplus(−0.2);
  // (0,2): |1 − 0.414214|·|1 − 1/log2(3)| = 0.585786·0.369070, softplus(−0.1);
  // (2,1): 0.414214·|1/log2(3) − 0.5| = 0.414214·0.130930, softplus(−0.1).
  // List 2: s = (0, 0.2, 0); ψ = (0, 1, 1): pairs (1,0) with τ = (2, 1, 3), G = (0, 1, 1):
  // 1·|1 − 1/log2(3)| softplus(−0.2); (2,0): 1·|1/log2(4) − 1/log2(3)| softplus(0).
  @Test("lipo-λ by hand")
  func lambdaByHand() throws {
    let log2 = { (x: Double) in Foundation.log(x) / Foundation.log(2) }
    let g2 = Foundation.sqrt(2) - 1
    let list1 = 0.5 * Self.softplus(-0.2) + (1 - g2) * (1 - 1 / log2(3)) * Self.softplus(-0.1) + g2 * (1 / log2(3) - 0.5) * Self.softplus(-0.1)
    let list2 = (1 - 1 / log2(3)) * Self.softplus(-0.2) + (1 / log2(3) - 0.5) * Self.softplus(0)
    let got = try Self.evaluate("lipo")["loss"]![0]
    // rtol 1e-7: β enters the graph as a Float constant (0.1 is 0.100000001).
    #expect(isClose(got, (list1 + list2) / 2, rtol: 1e-7), "\(got) vs \((list1 + list2) / 2)")
  }

  // PRO with K = 2: −log(e^{s_1} / (e^{s_1} + e^{s_2})) = softplus(s_2 − s_1), plus sft_weight·nll.
  @Test("pro on lists of two is a length-normalized Bradley-Terry loss plus the SFT term")
  func proTwo() throws {
    let lists: [String: [Double]] = ["logp": [-10, -12], "ref_logp": [0, 0], "score": [0, 1], "len": [5, 4]]
    let out = try Self.evaluate("pro", ["sft_weight": .float(0.5)], lists: lists, rows: 1, items: 2)
    #expect(isClose(out["loss"]![0], Self.softplus(-2 - (-3)) + 0.5 * 2, rtol: 1e-9))
  }

  // List 2 ties two responses at score 1: list order breaks the tie (response 1 ranks first).
  // s = (−2, −2, −3) by length; ranked 1, 2, 0: s = (−2, −3, −2): terms −s_1 + lse(s_1, s_2, s_0) and −s_2 + lse(s_2, s_0).
  @Test("pro ranks tied scores by their position in the list")
  func proTies() throws {
    let out = try Self.evaluate("pro", ["sft_weight": .float(0)])
    let lse = { (xs: [Double]) in Foundation.log(xs.map { Foundation.exp($0) }.reduce(0, +)) }
    let list1 = (-(-2.0) + lse([-2, -2, -3])) + (-(-2.0) + lse([-2, -3]))  // s = (−2, −3, −2), ψ order 0, 2, 1
    let list2 = (-(-2.0) + lse([-2, -3, -2])) + (-(-3.0) + lse([-3, -2]))
    #expect(isClose(out["loss"]![0], (list1 + list2) / 2, rtol: 1e-9))
  }

  // Untied implicit rewards: λ-weights depend on their ranks, which must not flip within ±1e-6.
  static let untied: [String: [Double]] = [
    "logp": [-6, -9, -4, -10, -10, -3], "ref_logp": [-7, -8.5, -4.2, -10.3, -12, -3.6], "score": [1, 0, 0.5, 0, 1, 0.7],
    "len": [3, 3, 2, 5, 5, 1],
  ]

  @Test("the gradients match finite differences", arguments: ["lipo", "pro"])
  func gradients(name: String) throws {
    let params: [String: ParamValue] = name == "pro" ? ["sft_weight": .float(0.1)] : [:]
    let out = try Self.evaluate(name, params, lists: Self.untied)
    for i in 0..<6 {
      var plus = Self.untied, minus = Self.untied
      plus["logp"]![i] += 1e-6
      minus["logp"]![i] -= 1e-6
      let numeric = (try Self.evaluate(name, params, lists: plus)["loss"]![0] - Self.evaluate(name, params, lists: minus)["loss"]![0]) / 2e-6
      #expect(isClose(out["grad_logp"]![i], numeric, rtol: 1e-5, atol: 1e-9), "\(name) logp[\(i)]")
    }
  }
}
