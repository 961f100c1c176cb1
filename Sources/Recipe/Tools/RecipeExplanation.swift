import Blocks

/// The library side of `porecipe explain RECIPE`: the resolved recipe with the origin of
/// every value, where KL enters, which aggregation is used, and the stages with their
/// blocks.
public struct RecipeExplanation: Sendable {
  public var recipe: ResolvedRecipe

  public init(_ recipe: ResolvedRecipe) {
    self.recipe = recipe
  }

  /// Explains the recipe `reference` names with `overrides` applied; a recipe with errors
  /// prints them as `check` does (exit 1), an unreadable one exits 2.
  public static func run(_ reference: String, overrides: [String] = [], format: ReportFormat = .text, colored: Bool = false,
                         registry: BlockRegistry = .standard) -> ToolReport {
    var tools = ToolLoader(registry: registry, colored: colored, json: format == .json)
    switch tools.load([reference], overrides: overrides) {
    case .stopped(let report):
      return report
    case .loaded(let recipes, let warnings):
      guard let resolved = recipes.first?.resolved(registry: registry) else {
        return ToolReport(output: "internal error: a recipe without errors did not resolve (please report)\n", exitCode: 1)
      }
      let explanation = RecipeExplanation(resolved)
      return ToolReport(output: format == .json ? explanation.json.pretty : explanation.text, messages: warnings)
    }
  }

  /// The whole explanation.
  public var text: String {
    var parts = [header, "stages\n" + stages.map { "  \($0.stage.padding(toLength: 11, withPad: " ", startingAt: 0))\($0.blocks)\n" }.joined(),
                 "kl         \(klSummary)\naggregate  \(aggregateSummary)\n", "values\n" + values]
    if let program { parts.append(program) }
    return parts.joined(separator: "\n")
  }

  /// The compiled update graph, jaxpr-like (`Graph.description`): `RecipeProgramText`.
  var program: String? { RecipeProgramText.forward(of: recipe.checkResult) }

  /// `recipe dapo (built-in), extends grpo (built-in)` and the paper.
  var header: String {
    let isBuiltin = recipe.file.hasPrefix(RecipeLoader.builtinPrefix)
    var out = "recipe " + (isBuiltin ? displayName(ofSource: recipe.file) : "\(recipe.name) (\(recipe.file))")
    if recipe.chain.count > 1 {
      out += ", extends " + recipe.chain.dropFirst().map { displayName(ofSource: $0) }.joined(separator: ", which extends ")
    }
    out += "\n"
    if let title = recipe.value("paper.title")?.description {
      let details = [recipe.value("paper.authors")?.description, recipe.value("paper.year")?.description,
                     recipe.value("paper.arxiv").flatMap { $0 == .null ? nil : "arXiv:\($0)" }]
        .compactMap { $0 }.filter { !$0.isEmpty }
      out += "paper  \(title)" + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))") + "\n"
    }
    return out
  }

  /// Every resolved value with its origin, aligned.
  var values: String {
    let lines = recipe.entries.map { ("  \($0.path) = \($0.text)", $0.origin.comment) }
    let width = min(lines.map(\.0.count).max() ?? 0, 60)
    return lines.map { line, comment in line.padding(toLength: max(width, line.count), withPad: " ", startingAt: 0) + "   # \(comment)\n" }
      .joined()
  }
}
