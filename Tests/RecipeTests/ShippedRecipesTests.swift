import Blocks
import Foundation
import Recipe
import Testing

/// The recipes in `recipes/` check clean, are shipped inside porecipe, and the generated
/// grammar files are current.
@Suite struct ShippedRecipesTests {
  static var recipeNames: [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: PackagePaths.recipes.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.sorted()
  }

  @Test("every recipe in recipes/ checks with zero diagnostics", arguments: recipeNames)
  func clean(name: String) {
    let report = RecipeCheck.run(paths: [PackagePaths.recipes.appendingPathComponent(name).path], strict: true)
    #expect(report.diagnostics.isEmpty, "\(report.output)")
    #expect(report.exitCode == 0)
  }

  @Test("recipes/ holds the core recipes, each with a paper")
  func core() throws {
    for name in ["grpo", "dapo", "dr_grpo", "ppo", "dpo"] {
      let text = try String(contentsOf: PackagePaths.recipes.appendingPathComponent(name + ".yaml"), encoding: .utf8)
      #expect(text.contains("\npaper: {title: "), "\(name) has no paper")
    }
  }

  @Test("recipes/README.md indexes every recipe")
  func indexed() throws {
    let index = try String(contentsOf: PackagePaths.recipes.appendingPathComponent("README.md"), encoding: .utf8)
    for name in Self.recipeNames { #expect(index.contains("[\(name)](\(name))"), "\(name) is not in recipes/README.md") }
  }

  @Test("the built-in recipes are the files of recipes/")
  func builtinsAreCurrent() throws {
    var out = "// Generated from recipes/*.yaml by RecipeTests (PORECIPE_UPDATE_FIXTURES=1 swift test); do not edit.\n\n"
    out += "/// The recipes shipped inside porecipe, by name, so `extends: grpo` works from anywhere.\n"
    out += "public enum BuiltinRecipes {\n  public static let files: [String: String] = [\n"
    for name in Self.recipeNames {
      let text = try String(contentsOf: PackagePaths.recipes.appendingPathComponent(name), encoding: .utf8)
      out += "    \"\(name.dropLast(5))\": #\"\"\"\n"
      for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
        out += line.isEmpty ? "\n" : "    \(line)\n"
      }
      out += "\n    \"\"\"#,\n"
    }
    out += "  ]\n}\n"
    let file = PackagePaths.root.appendingPathComponent("Sources/Recipe/Composition/BuiltinRecipes.swift")
    if PackagePaths.isUpdating { try out.write(to: file, atomically: true, encoding: .utf8) }
    #expect(try String(contentsOf: file, encoding: .utf8) == out,
            "BuiltinRecipes.swift is stale: run PORECIPE_UPDATE_FIXTURES=1 swift test --disable-xctest")
    #expect(Set(BuiltinRecipes.files.keys) == Set(Self.recipeNames.map { String($0.dropLast(5)) }))
  }

  @Test("Grammar/recipe.schema.json is what porecipe schema prints")
  func schemaIsCurrent() throws {
    let file = PackagePaths.grammar.appendingPathComponent("recipe.schema.json")
    let document = RecipeSchema.document()
    if PackagePaths.isUpdating { try document.write(to: file, atomically: true, encoding: .utf8) }
    #expect(try String(contentsOf: file, encoding: .utf8) == document,
            "recipe.schema.json is stale: run swift run porecipe schema > Grammar/recipe.schema.json")
  }

  @Test("the schema is valid JSON naming every block")
  func schemaParses() throws {
    let object = try JSONSerialization.jsonObject(with: Data(RecipeSchema.document().utf8)) as? [String: Any]
    let properties = try #require(object?["properties"] as? [String: Any])
    #expect(Set(properties.keys) == Set(Section.allCases.map(\.rawValue)))
    for block in BlockRegistry.standard.blocks where block.kind != .modifier && block.section != .schedule {
      let section = try #require(properties[block.section.rawValue] as? [String: Any])
      let blocks = try #require(section["properties"] as? [String: Any])
      #expect(blocks[block.name] != nil, "\(block.path) missing from the schema")
    }
  }

  @Test("Grammar/diagnostics.md documents every diagnostic code")
  func diagnosticsDocumented() throws {
    let text = try String(contentsOf: PackagePaths.grammar.appendingPathComponent("diagnostics.md"), encoding: .utf8)
    for entry in DiagnosticCatalog.entries {
      #expect(text.contains("### `\(entry.code.name)`"), "\(entry.code) is not documented")
    }
  }
}
