import Foundation
@testable import Recipe
import TestSupport
import Testing

/// `porecipe new NAME --from PARENT`: a starter recipe that checks clean.
@Suite struct RecipeTemplateTests {
  @Test("new my_dapo --from dapo writes the modeline, name, paper placeholder, extends and the parent's sections")
  func fromBuiltin() throws {
    let directory = try TemporaryDirectory()
    let report = RecipeTemplate.run(name: "my_dapo", from: "dapo", outDirectory: directory.url.path)
    let path = directory.url.appendingPathComponent("my_dapo.yaml").path
    #expect(report.output == "created \(path)\n")
    #expect(report.exitCode == 0)
    #expect(report.messages.hasPrefix("note: no Grammar/recipe.schema.json above "))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == """
      # yaml-language-server: $schema=recipe.schema.json
      # my_dapo starts as dapo (built-in). Uncomment and change what differs; then
      # 'porecipe diff my_dapo.yaml dapo' lists the changes and 'porecipe explain my_dapo.yaml' every value.
      recipe: my_dapo
      # paper: {title: "...", authors: "...", arxiv: "....", year: 2025}
      extends: dapo

      # What dapo (built-in) sets (with grpo (built-in)):
      # task:
      #   arithmetic: {digits: 2}
      # policy:
      #   transformer: {layers: 2, width: 128, heads: 4, context: 64}
      #   warm_start: {sft: {until_accuracy: 0.25, max_steps: 2000, lr: 5.0e-4}}
      # rollout: {prompts: 32, group: 8, max_tokens: 16, temperature: 1.0}
      # reward:
      #   verifier: {weight: 1.0, pass: 1.0, fail: -1.0}
      #   overlong: {max: 16, cache: 4, penalty: 1.0}
      # filter:
      #   dynamic_sampling: {metric: acc}
      # advantage:
      #   group_norm: {std: true, eps: 1.0e-6}
      # objective:
      #   ratio: token
      #   clip: {low: 0.2, high: 0.28}
      #   kl: none
      #   aggregate: token_mean
      # optimizer:
      #   adam: {lr: 1.0e-4}
      # train: {iterations: 300, epochs: 1, minibatches: 2, seed: 0}

      """)
    let check = RecipeCheck.run(paths: [path], strict: true)
    #expect(check.diagnostics.isEmpty, "\(check.output)")
    #expect(RecipeDiff.run(path, "dapo").output == "no differences\n")
  }

  @Test("uncommenting a line makes the change diff names")
  func uncommented() throws {
    let directory = try TemporaryDirectory()
    _ = RecipeTemplate.run(name: "lower", from: "grpo", outDirectory: directory.url.path)
    let path = directory.url.appendingPathComponent("lower.yaml").path
    let text = try String(contentsOfFile: path, encoding: .utf8)
      .replacingOccurrences(of: "# objective:\n", with: "objective:\n")
      .replacingOccurrences(of: "#   clip: {low: 0.2}\n", with: "  clip: {low: 0.1}\n")
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    #expect(RecipeDiff.run(path, "grpo").output == "\(path) is grpo with 2 changes:\nobjective\n  objective.clip.low 0.2 → 0.1\n  objective.clip.high 0.2 → 0.1\n")
  }

  @Test("a parent file is extended by its path relative to the new recipe, and the schema is found above it")
  func fromFile() throws {
    let root = try TemporaryDirectory()
    let grammar = root.url.appendingPathComponent("Grammar")
    let recipes = root.url.appendingPathComponent("recipes/mine")
    try FileManager.default.createDirectory(at: grammar, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: recipes, withIntermediateDirectories: true)
    _ = try root.write("Grammar/recipe.schema.json", "{}")
    let parent = try root.write("base.yaml", "extends: gspo\ntrain: {seed: 3}\n")
    let report = RecipeTemplate.run(name: "child", from: parent, outDirectory: recipes.path)
    #expect(report.messages.isEmpty)
    let text = try String(contentsOfFile: recipes.appendingPathComponent("child.yaml").path, encoding: .utf8)
    #expect(text.hasPrefix("# yaml-language-server: $schema=../../Grammar/recipe.schema.json\n"))
    #expect(text.contains("\nextends: ../../base.yaml\n"))
    #expect(text.contains("\n# train: {iterations: 300, epochs: 1, minibatches: 4, seed: 3}\n"))
    #expect(RecipeCheck.run(paths: [recipes.appendingPathComponent("child.yaml").path], strict: true).diagnostics.isEmpty)
  }

  @Test("an existing file is never overwritten (exit 1)")
  func noOverwrite() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("taken.yaml", "extends: grpo\n")
    let report = RecipeTemplate.run(name: "taken", from: "dapo", outDirectory: directory.url.path)
    #expect(report == ToolReport(output: """
      error: \(path) exists; porecipe new never overwrites a file
        = help: choose another name, or another directory with --out


      """, exitCode: 1))
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "extends: grpo\n")
  }

  @Test("an unknown parent or directory exits 2, a bad name 1")
  func failures() throws {
    let directory = try TemporaryDirectory()
    #expect(RecipeTemplate.run(name: "x", from: "grpoo", outDirectory: directory.url.path).exitCode == 2)
    #expect(RecipeTemplate.run(name: "x", from: "grpo", outDirectory: directory.url.path + "/missing").exitCode == 2)
    #expect(RecipeTemplate.run(name: "a b", from: "grpo", outDirectory: directory.url.path).exitCode == 1)
  }

  @Test("relative paths", arguments: zip(
    [("/a/b", "/a/b/c.yaml"), ("/a/b", "/a/c.yaml"), ("/a/b/c", "/a/d/e.yaml"), ("/x", "/a/b.yaml")],
    ["c.yaml", "../c.yaml", "../../d/e.yaml", "/a/b.yaml"]))
  func relative(paths: (String, String), expected: String) {
    #expect(RecipeTemplate.relativePath(from: paths.0, to: paths.1) == expected)
  }
}
