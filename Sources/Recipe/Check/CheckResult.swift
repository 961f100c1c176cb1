import Blocks
import Diagnostics
import Expr

/// A parameter's resolved value and where it came from.
public struct ResolvedValue: Sendable, Hashable {
  /// Where a value came from, as `porecipe explain` says it.
  public enum Origin: Sendable, Hashable {
    /// Written in a recipe file (this one or a parent), or on the command line.
    case source(SourceSpan)
    /// The parameter's declared default.
    case declaredDefault
  }

  public var value: ParamValue
  public var origin: Origin

  public init(value: ParamValue, origin: Origin) {
    self.value = value
    self.origin = origin
  }

  /// The span the value was written at, if it was written.
  public var span: SourceSpan? {
    if case .source(let span) = origin { return span }
    return nil
  }
}

/// A block a recipe switches on: its name, where its parameters sit in `values`
/// (`objective.clip`, `advantage.then[0].batch_norm`) and the span of its key.
public struct UsedBlock: Sendable, Hashable {
  public var name: String
  public var path: String
  public var span: SourceSpan

  public init(name: String, path: String, span: SourceSpan) {
    self.name = name
    self.path = path
    self.span = span
  }
}

/// What checking a recipe found: the diagnostics, sorted and deduplicated, and the typed
/// values (every declared parameter of every block in use, defaults included, by path such
/// as `objective.clip.high`) and checked expressions, by path (`advantage.expr`).
public struct CheckResult: Sendable {
  public var diagnostics: [Diagnostic]
  public var values: [String: ResolvedValue]
  public var expressions: [String: TypedExpr]
  /// The blocks switched on with their paths and key spans, sections first, then
  /// `advantage.then` modifiers in order (the compiler's view).
  public var usedBlocks: [UsedBlock] = []
  /// The spans of section keys (`advantage`, `objective`) and expressions (`objective.expr`).
  public var keySpans: [String: SourceSpan] = [:]
  /// The sources the diagnostics quote.
  public var sources: SourceFiles
  /// The blocks switched on, by section, in the order the composed recipe names them
  /// (`advantage.then` modifiers and schedule shapes are not listed).
  public var blocks: [Section: [BlockDecl]] = [:]

  /// Whether the recipe has findings that fail a check.
  public func fails(strict: Bool) -> Bool { diagnostics.fails(strict: strict) }
}
