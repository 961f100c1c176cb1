import Blocks
import Diagnostics
import Foundation
import Recipe
import Testing

/// DESIGN.md's composition rules: extends, deep merge, one-block replacement, preference vs
/// policy-gradient, none, what is not inherited, --set; and where each value came from.
@Suite struct CompositionTests {
  /// Writes `files` into a fresh directory and checks `main` with `overrides`.
  func check(_ files: [String: String], main: String = "main.yaml", overrides: [String] = []) throws -> (CheckResult, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-compose-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for (name, text) in files {
      let url = directory.appendingPathComponent(name)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try text.write(to: url, atomically: true, encoding: .utf8)
    }
    var loader = RecipeLoader()
    let path = directory.appendingPathComponent(main).path
    return (RecipeChecker.check(path: path, overrides: overrides, loader: &loader), directory.path)
  }

  func codes(_ result: CheckResult) -> [DiagnosticCode] { result.diagnostics.map(\.code) }

  @Test("mappings merge deeply: the child's value wins, the parent's siblings stay")
  func deepMerge() throws {
    let (result, directory) = try check(["main.yaml": "extends: grpo\nobjective:\n  clip: {high: 0.28}\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["objective.clip.high"]?.value == .float(0.28))
    #expect(result.values["objective.clip.high"]?.span?.file == directory + "/main.yaml")
    #expect(result.values["objective.clip.low"]?.span?.file == "<builtin>/grpo.yaml")
    #expect(result.values["objective.kl.coef"]?.value == .float(0.04))
  }

  @Test("naming another block in a one-block section replaces the parent's")
  func oneBlock() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\nadvantage:\n  rloo: {}\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["advantage.group_norm.std"] == nil)
  }

  @Test("a preference loss drops the parent's policy-gradient slots")
  func preferenceDropsSlots() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\ntask: {preference: {}}\nreward: none\nadvantage: none\nrollout: none\nobjective:\n  dpo: {beta: 0.2}\n"])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    #expect(result.values["objective.clip.low"] == nil)
    #expect(result.values["objective.dpo.beta"]?.value == .float(0.2))
  }

  @Test("none switches a slot off")
  func none() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\nobjective:\n  kl: none\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["objective.kl.coef"] == nil)
  }

  @Test("a short form in the parent is refined by a mapping in the child")
  func shortForm() throws {
    // Without a task (eval's recipe), where an EWMA proximal policy is implemented.
    let (result, _) = try check(["main.yaml": "extends: grpo\ntask: none\nobjective:\n  ratio: {proximal: ewma}\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["objective.ratio.mode"]?.value == .string("token"))
    #expect(result.values["objective.ratio.mode"]?.span?.file == "<builtin>/grpo.yaml")
    #expect(result.values["objective.ratio.proximal"]?.value == .string("ewma"))
  }

  @Test("recipe and paper are not inherited")
  func notInherited() throws {
    let (result, _) = try check(["main.yaml": "extends: dapo\n"])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["paper.title"] == nil)
    #expect(result.values["recipe"]?.value == .string("main"))
  }

  @Test("extends chains through a relative path, a sibling by name, then a built-in")
  func chain() throws {
    let (result, directory) = try check([
      "main.yaml": "extends: base/middle.yaml\ntrain: {seed: 7}\n",
      "base/middle.yaml": "extends: lower\nobjective:\n  clip: {high: 0.3}\n",
      "base/lower.yaml": "extends: grpo\nrollout: {group: 4}\n",
    ])
    #expect(result.diagnostics.isEmpty)
    #expect(result.values["train.seed"]?.value == .int(7))
    #expect(result.values["objective.clip.high"]?.span?.file == directory + "/base/middle.yaml")
    #expect(result.values["rollout.group"]?.span?.file == directory + "/base/lower.yaml")
  }

  @Test("--set sets present and absent parameters, blocks and slots, typed by the declaration")
  func set() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\n"], overrides: [
      "objective.clip.high=0.3", "objective.kl=none", "objective.clip={low: 0.1, high: 0.2}", "advantage.rloo={}", "train.seed=3",
    ])
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
    #expect(result.values["objective.clip.low"]?.value == .float(0.1))
    #expect(result.values["objective.clip.low"]?.span?.file == "<command line>")
    #expect(result.values["objective.kl.coef"] == nil)
    #expect(result.values["advantage.group_norm.std"] == nil)
    #expect(result.values["train.seed"]?.value == .int(3))
  }

  @Test("--set of an unknown path is an error with a did-you-mean at the path")
  func setUnknown() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\n"], overrides: ["rollout.gruop=4"])
    let diagnostic = try #require(result.diagnostics.first)
    #expect(diagnostic.code == .unknownPath)
    #expect(diagnostic.suggestion == "group")
    #expect(diagnostic.span == SourceSpan(file: "<command line>", line: 1, column: 15, length: 5))
  }

  @Test("a --set value that does not fit says what it overrode")
  func setProvenance() throws {
    let (result, directory) = try check(["main.yaml": "extends: grpo\nrollout: {group: 4}\n"], overrides: ["rollout.group=0"])
    let diagnostic = try #require(result.diagnostics.first)
    #expect(diagnostic.code == .outOfRange)
    #expect(diagnostic.notes.first == "set on the command line, overriding \(directory)/main.yaml:2:18")
  }

  @Test("a cycle prints the chain")
  func cycle() throws {
    let (result, directory) = try check(["main.yaml": "extends: other\n", "other.yaml": "extends: main\n"])
    let diagnostic = try #require(result.diagnostics.first)
    #expect(diagnostic.code == .extendsCycle)
    #expect(diagnostic.message == "'extends' forms a cycle: \(directory)/main.yaml -> \(directory)/other.yaml -> \(directory)/main.yaml")
  }

  @Test("every declared parameter of a block in use resolves, defaults included")
  func defaults() throws {
    let (result, _) = try check(["main.yaml": "extends: grpo\n"])
    #expect(result.values["objective.clip.dual"] == ResolvedValue(value: .null, origin: .declaredDefault))
    #expect(result.values["advantage.group_norm.unbiased"]?.value == .bool(true))
    #expect(result.values["objective.aggregate.mode"]?.value == .string("seq_mean_token_mean"))
  }
}

/// Recipes for `porecipe eval` hold only `advantage` and `objective`.
@Suite struct EvalRecipeTests {
  @Test("an eval recipe with only advantage and objective checks clean", arguments: [
    "advantage: {group_norm: {}}\nobjective: {clip: {low: 0.2}, aggregate: token_mean}\n",
    "advantage:\n  expr: \"reward - mean(reward, over: group)\"\nobjective:\n  expr: \"-min(ratio * adv, clip(ratio, 0.8, 1.28) * adv)\"\n",
    "objective: {dpo: {beta: 0.1}}\n",
  ])
  func eval(text: String) {
    var loader = RecipeLoader()
    let result = RecipeChecker().check(loader.load(text: text, name: "eval.yaml"))
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
  }

  @Test("checked formulas are typed trees ready to lower")
  func typed() throws {
    var loader = RecipeLoader()
    let text = "advantage:\n  expr: \"reward - mean(reward, over: group)\"\nobjective: {clip: {}}\n"
    let result = RecipeChecker().check(loader.load(text: text, name: "eval.yaml"))
    let expr = try #require(result.expressions["advantage.expr"])
    #expect(expr.type.axesDescription == "[batch, group]")
    #expect(expr.inputs == ["reward"])
  }
}
