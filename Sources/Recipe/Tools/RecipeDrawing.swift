import Blocks
import Graph

/// The library side of `porecipe graph RECIPE`: the compiled update graph of a recipe,
/// drawn for Graphviz or Mermaid, each box with the recipe line that made it.
public enum RecipeDrawing {
  /// Draws the recipe `reference` names with `overrides` applied; a recipe with errors
  /// prints them as `check` does (exit 1), an unreadable one exits 2, and a recipe whose
  /// objective does not compile for a batch (a trainer-only block) says so (exit 1).
  public static func run(_ reference: String, overrides: [String] = [], format: GraphDrawingFormat,
                         colored: Bool = false, registry: BlockRegistry = .standard) -> ToolReport {
    var tools = ToolLoader(registry: registry, colored: colored, json: false)
    switch tools.load([reference], overrides: overrides) {
    case .stopped(let report):
      return report
    case .loaded(let recipes, let warnings):
      guard let recipe = recipes.first?.resolved(registry: registry) else {
        return ToolReport(output: "internal error: a recipe without errors did not resolve (please report)\n", exitCode: 1)
      }
      guard let (graph, caption) = try? RecipeProgramText.program(of: recipe.checkResult) else {
        return ToolReport(messages: warnings + "error: \(reference): the objective does not compile for a batch, so there is no graph to draw; `porecipe eval` names the block\n",
                          exitCode: 1)
      }
      let comment = format == .dot ? "// " : "%% "
      return ToolReport(output: "\(comment)\(recipe.name): \(caption)\n" + graph.drawing(format) + "\n", messages: warnings)
    }
  }
}
