import Blocks
import Core
import Foundation
import Graph
import Testing
import TestSupport

/// KTO against its formula, its reference point and its gradient.
@Suite struct UnpairedPreferenceLossTests {
  static let examples: [String: [Double]] = [
    "logp": [-10, -12, -8], "ref_logp": [-11, -11, -8], "len": [4, 5, 3], "label": [1, 0, 1],
    "kl_logp": [-9, -10, -7], "kl_ref_logp": [-10, -10, -9],
  ]

  static func evaluate(_ values: [String: ParamValue] = [:], examples: [String: [Double]] = examples) throws -> [String: [Double]] {
    let decl = try #require(BlockRegistry.standard.block(named: "kto"))
    let loss = try PreferenceLoss(BlockParams(decl, values: values))
    let program = try PreferenceProgram.compile(loss, rows: 3, span: nil)
    let results = try ReferenceInterpreter.evaluate(program.graph, inputs: examples.mapValues { DoubleTensor(shape: [3], values: $0) })
    return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
  }

  static func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

  // z0 = max(0, mean(1, 0, 2)) = 1; r = (1, −1, 0); β = 0.1:
  // desirable 1 − σ(0.1·(1 − 1)) = 0.5 and 1 − σ(0.1·(0 − 1)) = 0.524979; undesirable 1 − σ(0.1·(1 + 1)) = 0.450166;
  // loss = (0.5 + 0.450166 + 0.524979) / 3 = 0.491715.
  @Test("matches TRL KTOTrainer kto_loss by hand")
  func byHand() throws {
    let out = try Self.evaluate()
    let expected = (0.5 + (1 - Self.sigmoid(0.2)) + (1 - Self.sigmoid(-0.1))) / 3
    #expect(isClose(out["loss"]![0], expected, rtol: 1e-9))
    #expect(isClose(out["terms.kl"]![0], 1, rtol: 1e-12))
    #expect(isClose(out["terms.chosen_reward"]![0], 0.05, rtol: 1e-9))
    #expect(isClose(out["terms.rejected_reward"]![0], -0.1, rtol: 1e-9))
  }

  @Test("a negative KL estimate clamps z0 at 0, and the weights scale each side")
  func clamped() throws {
    var examples = Self.examples
    examples["kl_ref_logp"] = [0, 0, 0]
    let out = try Self.evaluate(["desirable_weight": .float(2), "undesirable_weight": .float(0.5)], examples: examples)
    let expected = (2 * (1 - Self.sigmoid(0.1)) + 0.5 * (1 - Self.sigmoid(0.1)) + 2 * 0.5) / 3
    #expect(isClose(out["loss"]![0], expected, rtol: 1e-9))
    #expect(out["terms.kl"]![0] == 0)
  }

  @Test("all examples desirable leaves the rejected reward at 0")
  func oneSided() throws {
    var examples = Self.examples
    examples["label"] = [1, 1, 1]
    #expect(try Self.evaluate(examples: examples)["terms.rejected_reward"]![0] == 0)
  }

  @Test("the gradient matches finite differences, and the KL inputs carry none")
  func gradient() throws {
    let out = try Self.evaluate()
    for i in 0..<3 {
      var plus = Self.examples, minus = Self.examples
      plus["logp"]![i] += 1e-6
      minus["logp"]![i] -= 1e-6
      let numeric = (try Self.evaluate(examples: plus)["loss"]![0] - Self.evaluate(examples: minus)["loss"]![0]) / 2e-6
      #expect(isClose(out["grad_logp"]![i], numeric, rtol: 1e-5, atol: 1e-9))
    }
  }
}
