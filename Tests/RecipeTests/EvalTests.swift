import Blocks
import Core
import Expr
import Foundation
import Graph
import Recipe
import Testing
import TestSupport

/// `porecipe eval` against verl 0.9.1's numbers, snapshots of every shipped recipe, and its errors.
@Suite struct EvalTests {
  static let fixtures = PackagePaths.fixtures.appendingPathComponent("eval")
  static let batch = fixtures.appendingPathComponent("batch.json").path

  static var verlCases: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("verl").path)) ?? []
    return names.filter { !$0.contains(".") }.sorted()
  }

  /// Every number of `expected` (advantages and returns only where the mask is 1) within
  /// |got − expected| ≤ 1e-4 + 1e-3·|expected| (the examples' README).
  @Test("matches verl 0.9.1 core_algos on the shared examples", arguments: verlCases)
  func verl(name: String) throws {
    let folder = Self.fixtures.appendingPathComponent("verl/\(name)")
    let report = RecipeEval.run(recipe: folder.appendingPathComponent("recipe.yaml").path, batch: folder.appendingPathComponent("batch.json").path)
    #expect(report.exitCode == 0, "\(report.errors)")
    let expected = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: Any])
    let batch = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("batch.json"))) as? [String: Any])
    let mask = Self.flatten(batch["mask"])
    for key in ["advantages", "returns", "loss", "grad_logp"] {
      guard let want = expected[key] else { continue }
      let got = try #require(report.values[key], "no \(key)")
      for (i, (x, y)) in zip(Self.flatten(want), got).enumerated() where !(key == "advantages" || key == "returns") || mask[i] == 1 {
        #expect(abs(x - y) <= 1e-4 + 1e-3 * abs(x), "\(name) \(key)[\(i)]: verl \(x), porecipe \(y)")
      }
    }
    for (term, verlKey) in [("pg_loss", "_pg_loss"), ("kl", "_kl_loss")] {
      guard let want = expected[verlKey] as? Double else { continue }
      let got = try #require(report.values["terms.\(term)"]?.first)
      #expect(abs(want - got) <= 1e-4 + 1e-3 * abs(want), "\(name) \(term): verl \(want), porecipe \(got)")
    }
    // verl's pg_clipfrac (compute_policy_loss_vanilla) counts both bounds: porecipe reports them apart.
    if let want = expected["_pg_clipfrac"] as? Double {
      let low = try #require(report.values["terms.clip_frac_low"]?.first), high = try #require(report.values["terms.clip_frac_high"]?.first)
      #expect(abs(want - (low + high)) <= 1e-6, "\(name) clip fractions: verl \(want), porecipe \(low) + \(high)")
    }
  }

  static var allRecipes: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: PackagePaths.recipes.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// The recipe's preference loss, if its objective is one.
  static func preferenceLoss(_ name: String) -> PreferenceLoss? {
    let checked = RecipeEval.check(recipe: PackagePaths.recipes.appendingPathComponent("\(name).yaml").path)
    return (try? PolicyCompiler.preferenceLoss(from: checked))??.loss
  }

  static var recipes: [String] { allRecipes.filter { preferenceLoss($0) == nil } }
  static var preferenceRecipes: [String] { allRecipes.filter { preferenceLoss($0) != nil } }

  /// The whole output of `eval` on a fixed batch with ragged groups, a one-token row, a fully
  /// masked row and garbage at masked positions; `PORECIPE_UPDATE_FIXTURES=1` rewrites.
  @Test("eval of every shipped recipe matches its snapshot", arguments: recipes)
  func snapshot(name: String) throws {
    let report = RecipeEval.run(recipe: PackagePaths.recipes.appendingPathComponent("\(name).yaml").path, batch: Self.batch)
    #expect(report.exitCode == 0, "\(report.errors)")
    let file = Self.fixtures.appendingPathComponent("snapshots/\(name).json")
    if PackagePaths.isUpdating {
      try report.output.write(to: file, atomically: true, encoding: .utf8)
    } else {
      #expect(report.output == (try String(contentsOf: file, encoding: .utf8)), "eval \(name) differs from snapshots/\(name).json")
    }
    // Masked positions carry garbage (null, 7.0, -1e30): nothing leaks, the gradient there is exactly 0.
    let batch = try EvalBatch.parse(Data(contentsOf: URL(fileURLWithPath: Self.batch)))
    for (i, m) in batch.mask.enumerated() where m == 0 {
      #expect(report.values["grad_logp"]?[i] == 0)
      #expect(report.values["advantages"]?[i] == 0)
      if let grad = report.values["grad_value_pred"] { #expect(grad[i] == 0) }
    }
  }

  @Test("a bad batch names the key", arguments: zip([
    #"{"group": [0], "mask": [[1]], "logp": [[0]], "old_logp": [[0]], "reward": [1]}"#,
    #"{"group": [0], "mask": [[1]], "logp": [[0]], "old_logp": [[0]], "ref_logp": [[0]], "reward": [1], "valuse": [[0]]}"#,
    #"{"group": [0, 1], "mask": [[1], [1]], "logp": [[0]], "old_logp": [[0], [0]], "ref_logp": [[0], [0]], "reward": [1, 1]}"#,
    #"{"group": [0], "mask": [[1, 1]], "logp": [[0, null]], "old_logp": [[0, 0]], "ref_logp": [[0, 0]], "reward": [1]}"#,
    #"{"group": [0], "mask": [[1, 2]], "logp": [[0, 0]], "old_logp": [[0, 0]], "ref_logp": [[0, 0]], "reward": [1]}"#,
    "[1, 2]",
    #"{"group": [0], "#,
  ], [
    "missing key 'ref_logp'",
    "unknown key 'valuse'; did you mean 'values'?",
    "'logp' must be 2 rows of 1 numbers",
    "'logp'[0][1] is not a number (null is allowed only where the mask is 0)",
    "'mask'[0][1] is 2.0; the mask holds 0 or 1",
    "the batch is not a JSON object",
    "the batch is not valid JSON",
  ]))
  func badBatch(json: String, message: String) throws {
    #expect(throws: BatchError(message)) { try EvalBatch.parse(Data(json.utf8)) }
  }

  @Test("a missing batch file exits 2; a recipe error exits 1 with the diagnostic")
  func exitCodes() throws {
    let grpo = PackagePaths.recipes.appendingPathComponent("grpo.yaml").path
    #expect(RecipeEval.run(recipe: grpo, batch: "/nonexistent/batch.json").exitCode == 2)
    let typo = RecipeEval.run(recipe: grpo, batch: Self.batch, overrides: ["objective.clip.hihg=0.3"])
    #expect(typo.exitCode == 1)
    #expect(typo.errors.contains("did you mean 'high'?"))
  }

  @Test("a block that needs a missing input is an error at the recipe line")
  func missingInput() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-eval-gae.yaml")
    try "advantage: {gae: {}}\nobjective: {clip: {low: 0.2}}\n".write(to: file, atomically: true, encoding: .utf8)
    let batch = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-eval-batch.json")
    try #"{"group": [0], "mask": [[1]], "logp": [[0]], "old_logp": [[0]], "ref_logp": [[0]], "reward": [1]}"#.write(to: batch, atomically: true, encoding: .utf8)
    let report = RecipeEval.run(recipe: file.path, batch: batch.path)
    #expect(report.exitCode == 1)
    #expect(report.errors.hasPrefix("\(file.path):1:13: error: gae needs 'values' in the batch"), "\(report.errors)")
  }

  @Test("a non-finite result is an error naming the term, never NaN in JSON")
  func nonFinite() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-eval-nan.yaml")
    try "advantage: {group_norm: {}}\nobjective: {expr: 'log(ratio - 100)'}\n".write(to: file, atomically: true, encoding: .utf8)
    let report = RecipeEval.run(recipe: file.path, batch: Self.batch)
    #expect(report.exitCode == 1)
    #expect(report.output.isEmpty)
    #expect(report.errors.hasPrefix("error: the pg_loss term is not finite"), "\(report.errors)")
  }

  /// Each preference recipe on the fixed batch of its loss's format (pairs.json, unpaired.json,
  /// lists.json; orpo's chosen_nll and pro's nll added), against its snapshot.
  @Test("eval of every shipped preference recipe matches its snapshot", arguments: preferenceRecipes)
  func preferenceSnapshot(name: String) throws {
    let loss = try #require(Self.preferenceLoss(name))
    let base = Self.fixtures.appendingPathComponent("\(loss.format == .lists ? "lists" : loss.format == .unpaired ? "unpaired" : "pairs").json")
    var batch = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: base)) as? [String: Any])
    if loss.requiredExtras.contains("chosen_nll") { batch["chosen_nll"] = 1.5 }
    if loss.requiredExtras.contains("nll") { batch["nll"] = [1.5, 2.0] }
    let directory = try TemporaryDirectory()
    let path = directory.url.appendingPathComponent("batch.json")
    try JSONSerialization.data(withJSONObject: batch).write(to: path)
    let report = RecipeEval.run(recipe: PackagePaths.recipes.appendingPathComponent("\(name).yaml").path, batch: path.path)
    #expect(report.exitCode == 0, "\(report.errors)")
    #expect(report.errors.isEmpty, "\(report.errors)")
    let file = Self.fixtures.appendingPathComponent("snapshots/\(name).json")
    if PackagePaths.isUpdating { try report.output.write(to: file, atomically: true, encoding: .utf8) } else {
      #expect(report.output == (try String(contentsOf: file, encoding: .utf8)), "eval \(name) differs from snapshots/\(name).json")
    }
  }

  @Test("a preference recipe refuses a policy-gradient batch")
  func preference() throws {
    let wrong = RecipeEval.run(recipe: PackagePaths.recipes.appendingPathComponent("dpo.yaml").path, batch: Self.batch)
    #expect(wrong.exitCode == 1)
    #expect(wrong.errors.contains("unknown key 'baseline_reward'; a preference loss takes pairs"), "\(wrong.errors)")
  }

  @Test("a built-in recipe evaluates by name")
  func builtin() {
    let report = RecipeEval.run(recipe: "dapo", batch: Self.batch)
    #expect(report.exitCode == 0, "\(report.errors)")
  }

  static func flatten(_ x: Any?) -> [Double] {
    if let items = x as? [Any] { return items.flatMap { flatten($0) } }
    return [(x as? NSNumber)?.doubleValue ?? .nan]
  }
}

/// The compiled program planned in Float32 against the Double reference interpreter.
@Suite struct EvalPrecisionTests {
  @Test("the planned Float32 executable agrees with the Double evaluation", arguments: ["grpo", "ppo", "gspo", "reinforce_pp"])
  func float32(name: String) throws {
    let batch = try EvalBatch.parse(Data(contentsOf: URL(fileURLWithPath: EvalTests.batch)))
    let recipe = try PolicyCompiler.recipe(from: RecipeEval.check(recipe: name))
    let double = try RecipeEval.evaluate(recipe, on: batch)
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: batch.groups, tokens: batch.tokens), present: Set(batch.inputs.keys))
    let executable = try Planner.plan(program.graph)
    let inputs = program.graph.inputNames.map { name -> Tensor in
      let values = name == "mask" ? batch.mask : batch.inputs.first { $0.key.rawValue == name }?.value ?? []
      let shape: Shape = values.count == batch.rows ? [batch.rows] : [batch.rows, batch.tokens]
      return Tensor(shape: shape, scalars: values.map(Float.init))
    }
    let outputs = try executable.run(inputs)
    for (output, name) in zip(outputs, program.outputNames) {
      let want = try #require(double[name])
      #expect(allClose(output.scalars.map(Double.init), want, rtol: 1e-4, atol: 1e-5), "\(name): \(firstMismatch(output.scalars.map(Double.init), want, rtol: 1e-4, atol: 1e-5) ?? "")")
    }
  }
}

/// Recipes written as formulas give the blocks' numbers: the language and the library agree.
@Suite struct EvalExpressionTests {
  func eval(_ text: String, name: String) throws -> [String: [Double]] {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-eval-\(name).yaml")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let report = RecipeEval.run(recipe: file.path, batch: EvalTests.batch)
    #expect(report.exitCode == 0, "\(report.errors)")
    return report.values
  }

  @Test("DESIGN.md's objective formula equals clip {low 0.2, high 0.28}")
  func clipFormula() throws {
    let formula = try eval("advantage: {group_norm: {}}\nobjective: {expr: '-min(ratio * adv, clip(ratio, 1 - 0.2, 1 + 0.28) * adv)'}\n", name: "expr")
    let block = try eval("advantage: {group_norm: {}}\nobjective: {clip: {low: 0.2, high: 0.28}}\n", name: "block")
    #expect(allClose(try #require(formula["loss"]), try #require(block["loss"]), rtol: 1e-12))
    #expect(allClose(try #require(formula["grad_logp"]), try #require(block["grad_logp"]), rtol: 1e-12, atol: 1e-15))
  }

  @Test("DESIGN.md's advantage formula equals group_norm on groups larger than one")
  func groupFormula() throws {
    let formula = try eval("advantage: {expr: '(reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)'}\nobjective: {clip: {}}\n", name: "adv-expr")
    let block = try eval("advantage: {group_norm: {}}\nobjective: {clip: {}}\n", name: "adv-block")
    let batch = try EvalBatch.parse(Data(contentsOf: URL(fileURLWithPath: EvalTests.batch)))
    let sizes = RowLayout(groups: batch.groups, tokens: batch.tokens).groupSizes
    for i in 0..<(batch.rows * batch.tokens) where sizes[i / batch.tokens] > 1 {
      #expect(isClose(formula["advantages"]![i], block["advantages"]![i], rtol: 1e-9, atol: 1e-12))
    }
  }

  @Test("graph nodes carry the recipe line that made them")
  func origins() throws {
    let checked = RecipeEval.check(recipe: PackagePaths.recipes.appendingPathComponent("grpo.yaml").path)
    let program = try PolicyProgram.compile(try PolicyCompiler.recipe(from: checked), layout: RowLayout(groups: [0, 0], tokens: 2), present: [])
    let text = program.graph.description
    #expect(text.contains("grpo.yaml:20:3"), "the kl line")
    #expect(text.contains("grpo.yaml:15:3"), "the group_norm line")
  }
}
