/// A stable name for a kind of diagnostic (`unknown-key`, `out-of-range`, …), listed in
/// `Grammar/diagnostics.md` and shown by `--format json|sarif`; tools and users rely on it.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
  public let name: String

  public init(_ name: String) { self.name = name }
  public init(stringLiteral name: String) { self.name = name }

  public var description: String { name }
  public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.name < b.name }
}

/// One finding about a source: where, how bad, what, and what to do.
///
/// The message must make sense alone (CI logs, grep): lowercase, no final period, names and
/// values in quotes, and the did-you-mean on the same line.
public struct Diagnostic: Error, Hashable, Sendable {
  /// A related place shown beside the primary span (`first defined here`).
  public struct Label: Hashable, Sendable {
    public var span: SourceSpan
    public var message: String

    public init(span: SourceSpan, message: String) {
      self.span = span
      self.message = message
    }
  }

  public var severity: Severity
  public var code: DiagnosticCode
  public var message: String
  /// The primary place (`^^^`); `nil` only for findings about no file at all.
  public var span: SourceSpan?
  /// Text written after the carets, if any.
  public var spanLabel: String?
  public var secondary: [Label]
  /// Why (`= note:`), e.g. which parent recipe set a value.
  public var notes: [String]
  /// What to do (`= help:`).
  public var help: [String]
  /// A replacement for the primary span's text that fixes the finding (the did-you-mean).
  public var suggestion: String?

  public init(
    _ severity: Severity, _ code: DiagnosticCode, _ message: String, at span: SourceSpan?,
    label: String? = nil, secondary: [Label] = [], notes: [String] = [], help: [String] = [],
    suggestion: String? = nil
  ) {
    self.severity = severity
    self.code = code
    self.message = message
    self.span = span
    self.spanLabel = label
    self.secondary = secondary
    self.notes = notes
    self.help = help
    self.suggestion = suggestion
  }

  /// Sorts by place, then severity (worst first), then code and message; drops repeats.
  public static func sortedUnique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    var seen = Set<Diagnostic>()
    return diagnostics.filter { seen.insert($0).inserted }.sorted { a, b in
      switch (a.span, b.span) {
      case (nil, .some): return true
      case (.some, nil): return false
      case let (x?, y?) where x != y: return x < y
      default:
        if a.severity != b.severity { return a.severity > b.severity }
        return (a.code, a.message) < (b.code, b.message)
      }
    }
  }
}

extension Sequence<Diagnostic> {
  /// Whether any of these makes a check fail.
  public func fails(strict: Bool) -> Bool { contains { $0.severity.fails(strict: strict) } }
}
