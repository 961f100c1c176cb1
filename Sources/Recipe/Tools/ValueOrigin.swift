import Diagnostics

/// Where a resolved value came from, as `porecipe explain` prints it after `#`.
public enum ValueOrigin: Sendable, Hashable {
  /// Written in a recipe file on disk (the recipe or a parent).
  case file(SourceSpan)
  /// Written in a built-in recipe (`grpo (built-in):12:5`).
  case builtin(recipe: String, span: SourceSpan)
  /// Set with `--set path=value`.
  case commandLine(SourceSpan)
  /// The parameter's declared default.
  case declaredDefault
  /// A default that follows another value (`objective.clip.high` follows `low`).
  case derived(from: String)
  /// A slot the recipe leaves out, which takes its documented default (`ratio: token`).
  case absentSlot

  /// The origin of a value the checker resolved.
  init(_ origin: ResolvedValue.Origin) {
    switch origin {
    case .declaredDefault: self = .declaredDefault
    case .source(let span): self.init(span)
    }
  }

  /// The origin of a value written at `span`.
  init(_ span: SourceSpan) {
    if span.file == Overrides.sourceName {
      self = .commandLine(span)
    } else if span.file.hasPrefix(RecipeLoader.builtinPrefix) {
      let name = span.file.dropFirst(RecipeLoader.builtinPrefix.count)
      self = .builtin(recipe: String(name.hasSuffix(".yaml") ? name.dropLast(5) : name), span: span)
    } else {
      self = .file(span)
    }
  }

  /// Whether a recipe (or the command line) wrote the value, rather than a default.
  public var isWritten: Bool {
    switch self {
    case .file, .builtin, .commandLine: true
    case .declaredDefault, .derived, .absentSlot: false
    }
  }

  /// `dapo.yaml:14:7`, `grpo (built-in):12:5`, `--set`, `default`, `default: same as objective.clip.low`.
  public var comment: String {
    switch self {
    case .file(let span): "\(span)"
    case .builtin(let recipe, let span): "\(recipe) (built-in):\(span.startLine):\(span.startColumn)"
    case .commandLine: "--set"
    case .declaredDefault: "default"
    case .derived(let path): "default: same as \(path)"
    case .absentSlot: "default (slot not written)"
    }
  }
}

/// How a recipe file prints in the tools' headers: `recipes/dapo.yaml`, or `grpo (built-in)`.
func displayName(ofSource name: String) -> String {
  guard name.hasPrefix(RecipeLoader.builtinPrefix) else { return name }
  let base = name.dropFirst(RecipeLoader.builtinPrefix.count)
  return String(base.hasSuffix(".yaml") ? base.dropLast(5) : base) + " (built-in)"
}
