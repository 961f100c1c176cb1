import Blocks
import Diagnostics

/// A recipe loaded, composed, overridden and checked, ready for the tools over recipes.
public struct CheckedRecipe: Sendable {
  /// What the command line named.
  public var reference: RecipeReference
  /// The composed recipe, overrides applied.
  public var loaded: LoadedRecipe
  /// The checker's findings and typed values.
  public var result: CheckResult

  /// Loads and checks the recipe `reference` names with `overrides` (`path=value`) applied.
  public init(_ reference: RecipeReference, overrides: [String] = [], loader: inout RecipeLoader) {
    self.reference = reference
    var loaded: LoadedRecipe
    switch reference {
    case .file(let path):
      loaded = loader.load(path: path)
    case .builtin(let name):
      loaded = loader.load(text: BuiltinRecipes.files[name] ?? "", name: reference.sourceName)
    }
    Overrides(registry: loader.registry).apply(overrides, to: &loaded)
    self.loaded = loaded
    self.result = RecipeChecker(registry: loader.registry).check(loaded)
  }

  /// The diagnostics with at least error severity.
  public var errors: [Diagnostic] { result.diagnostics.filter { $0.severity >= .error } }

  /// Whether reading a file (not its content) failed: the tools exit 2.
  public var isUnreadable: Bool { loaded.isUnreadable }

  /// The resolved recipe, when the recipe has no errors.
  public func resolved(registry: BlockRegistry = .standard) -> ResolvedRecipe? {
    errors.isEmpty ? ResolvedRecipe(self, registry: registry) : nil
  }
}
