import Blocks
import Diagnostics

/// How `porecipe diff` and `porecipe explain` print: for people, or one JSON object.
public enum ReportFormat: String, CaseIterable, Sendable {
  case text, json
}

/// What a tool command prints and how it exits (DESIGN.md): 0 success, 1 the input is
/// wrong (or, for `diff`, the recipes differ), 2 a usage error or an unreadable path.
public struct ToolReport: Sendable, Equatable {
  /// For standard output.
  public var output: String
  /// For standard error: warnings and notes that should not mix with the output.
  public var messages: String
  public var exitCode: Int32

  public init(output: String = "", messages: String = "", exitCode: Int32 = 0) {
    self.output = output
    self.messages = messages
    self.exitCode = exitCode
  }

  /// A report of `diagnostics` rendered as `porecipe check` renders them, exiting 2 when a
  /// path could not be read and 1 otherwise.
  static func failure(_ diagnostics: [Diagnostic], sources: SourceFiles = SourceFiles(), colored: Bool = false,
                      json: Bool = false) -> ToolReport {
    let sorted = Diagnostic.sortedUnique(diagnostics)
    let output = json ? Diagnostic.jsonDocument(sorted) : DiagnosticRenderer(sources: sources, colored: colored).render(sorted)
    return ToolReport(output: output, exitCode: sorted.contains { $0.code == .unreadableFile } ? 2 : 1)
  }
}

/// Loads and checks recipes for the tools: a reference that names nothing, an unreadable
/// file or a recipe with errors becomes the report to print instead.
struct ToolLoader {
  /// The recipes, checked without errors, or the report that stops the command.
  enum Outcome {
    case loaded([CheckedRecipe], warnings: String)
    case stopped(ToolReport)
  }

  var loader: RecipeLoader
  var colored: Bool
  var json: Bool

  init(registry: BlockRegistry, colored: Bool, json: Bool = false) {
    self.loader = RecipeLoader(registry: registry)
    self.colored = colored
    self.json = json
  }

  /// The checked recipes `references` name (with `overrides` applied to each), or the
  /// report of what stops them; warnings come back rendered for standard error.
  mutating func load(_ references: [String], overrides: [String] = []) -> Outcome {
    var recipes: [CheckedRecipe] = []
    var problems: [Diagnostic] = []
    var sources = SourceFiles()
    for text in references {
      switch RecipeReference.resolve(text) {
      case .failure(let diagnostic):
        problems.append(diagnostic)
      case .success(let reference):
        let checked = CheckedRecipe(reference, overrides: overrides, loader: &loader)
        sources.merge(checked.result.sources)
        recipes.append(checked)
      }
    }
    let diagnostics = problems + recipes.flatMap(\.result.diagnostics)
    if diagnostics.contains(where: { $0.severity >= .error }) {
      return .stopped(.failure(diagnostics, sources: sources, colored: colored, json: json))
    }
    let warnings = DiagnosticRenderer(sources: sources, colored: colored).render(Diagnostic.sortedUnique(diagnostics))
    return .loaded(recipes, warnings: warnings)
  }
}
