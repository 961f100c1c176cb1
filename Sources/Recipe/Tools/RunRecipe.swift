import Blocks

/// The recipe `porecipe run` trains: loaded, checked and resolved, or the report (rendered
/// as `check` renders it) that stops the run before any work.
public enum RunRecipe {
  public enum Outcome: Sendable {
    /// The recipe without errors, resolved; `warnings` rendered for standard error.
    case loaded(ResolvedRecipe, warnings: String)
    case stopped(ToolReport)
  }

  public static func load(_ reference: String, overrides: [String] = [], colored: Bool = false,
                          registry: BlockRegistry = .standard) -> Outcome {
    var tools = ToolLoader(registry: registry, colored: colored)
    switch tools.load([reference], overrides: overrides) {
    case .stopped(let report):
      return .stopped(report)
    case .loaded(let recipes, let warnings):
      guard let resolved = recipes.first?.resolved(registry: registry) else {
        return .stopped(ToolReport(output: "internal error: a recipe without errors did not resolve (please report)\n", exitCode: 1))
      }
      return .loaded(resolved, warnings: warnings)
    }
  }
}
