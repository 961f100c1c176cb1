import Blocks
import Core
import Foundation
import Graph
import Recipe
import Testing
import TestSupport

/// Every preference loss's `eval` against numbers computed from TRL's formulas (TRL 0.27.2
/// `DPOTrainer.dpo_loss`, `CPOTrainer.cpo_loss`, `ORPOTrainer.odds_ratio_loss`,
/// `KTOTrainer.kto_loss`; TRL 1.10.0.dev0 `DPOTrainer._compute_loss` for ipo and sigmoid_norm)
/// and, for lipo and pro, from their papers; Fixtures/eval/trl/README.md says how.
@Suite struct PreferenceTRLTests {
  struct Case: Sendable, CustomStringConvertible {
    var name: String
    var block: String
    var params: [String: ParamValue]
    var batch: String
    var loss: Double
    var grads: [String: [Double]]
    var terms: [String: Double]
    var description: String { name }
  }

  static var reference: [String: Any] {
    let url = PackagePaths.fixtures.appendingPathComponent("eval/trl/reference.json")
    guard let data = try? Data(contentsOf: url), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
    return object
  }

  static var cases: [Case] {
    (reference["cases"] as? [[String: Any]] ?? []).map { item in
      let params = (item["params"] as? [String: Any] ?? [:]).mapValues { value -> ParamValue in
        if let word = value as? String { return .string(word) }
        return .float((value as? Double) ?? .nan)
      }
      return Case(name: item["case"] as? String ?? "?", block: item["block"] as? String ?? "?", params: params,
                  batch: item["batch"] as? String ?? "?", loss: item["loss"] as? Double ?? .nan,
                  grads: (item["grads"] as? [String: [Double]]) ?? [:], terms: (item["terms"] as? [String: Double]) ?? [:])
    }
  }

  @Test("the reference file holds every preference loss")
  func complete() {
    let covered = Set(Self.cases.map(\.block))
    let losses = BlockRegistry.standard.blocks.filter { $0.kind == .preference }.map(\.name)
    #expect(losses.count == 19)
    for name in losses { #expect(covered.contains(name), "no TRL reference case for '\(name)'") }
  }

  /// The case's loss and parsed batch.
  static func prepare(_ c: Case) throws -> (PreferenceLoss, PreferenceBatch) {
    let decl = try #require(BlockRegistry.standard.block(named: c.block))
    let loss = try PreferenceLoss(BlockParams(decl, values: c.params))
    let reference = Self.reference
    var batch = try #require((reference["batches"] as? [String: Any])?[c.batch] as? [String: Any])
    if c.block == "orpo" { batch["chosen_nll"] = 1.5 }
    if c.block == "pro" { batch["nll"] = reference["nll"] }
    return (loss, try PreferenceBatch.parse(JSONSerialization.data(withJSONObject: batch), for: loss))
  }

  /// What the trainer will run: the same graph planned and executed in Float32.
  @Test("the planned Float32 executable agrees with the Double evaluation", arguments: cases)
  func float32(_ c: Case) throws {
    let (loss, batch) = try Self.prepare(c)
    let double = try RecipeEval.evaluate(loss, span: nil, on: batch)
    let program = try PreferenceProgram.compile(loss, rows: batch.rows, items: batch.items, present: Set(batch.inputs.keys), span: nil)
    let inputs = program.graph.inputNames.map { name in
      Tensor(shape: PreferenceLoss.shape(of: name, rows: batch.rows, items: batch.items, format: batch.format),
             scalars: (batch.inputs[name] ?? []).map(Float.init))
    }
    let outputs = try Planner.plan(program.graph).run(inputs)
    for (output, name) in zip(outputs, program.outputNames) {
      let want = try #require(double[name])
      let got = output.scalars.map(Double.init)
      #expect(allClose(got, want, rtol: 1e-4, atol: 1e-5), "\(c.name) \(name): \(firstMismatch(got, want, rtol: 1e-4, atol: 1e-5) ?? "")")
    }
  }

  @Test("eval matches TRL's loss and gradients on a random batch", arguments: cases)
  func matches(_ c: Case) throws {
    let (loss, parsed) = try Self.prepare(c)
    let values = try RecipeEval.evaluate(loss, span: nil, on: parsed)
    let close = { (x: Double, y: Double) in abs(x - y) <= 1e-9 + 1e-7 * abs(y) }
    let got = try #require(values["loss"]?.first)
    #expect(close(got, c.loss), "\(c.name) loss: porecipe \(got), TRL \(c.loss)")
    #expect(Set(values.keys.filter { $0.hasPrefix("grad_") }) == Set(c.grads.keys))
    for (name, want) in c.grads {
      let have = try #require(values[name])
      #expect(have.count == want.count)
      for (i, (x, y)) in zip(have, want).enumerated() { #expect(close(x, y), "\(c.name) \(name)[\(i)]: porecipe \(x), TRL \(y)") }
    }
    for (name, want) in c.terms { #expect(close(values["terms.\(name)"]?.first ?? .nan, want), "\(c.name) \(name)") }
  }
}
