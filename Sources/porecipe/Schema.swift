import ArgumentParser
import Blocks
import Foundation

/// `porecipe schema`: print the recipe JSON Schema generated from the block registry.
struct Schema: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print the JSON Schema of recipes (for editors with a YAML language server).",
    discussion: """
      The schema is generated from the block declarations; Grammar/recipe.schema.json is its \
      committed copy, and a test fails when that copy is stale.

      Example:
        porecipe schema > Grammar/recipe.schema.json
      """)

  func run() throws {
    try Output.write(RecipeSchema.document())
  }
}
