/// How bad a finding is. `bug` is a broken invariant of porecipe itself, rendered as
/// `internal error: … (please report)`, never a stack trace.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
  case note
  case warning
  case error
  case bug

  /// The word printed after the location: `error`, `warning`, `note`, `internal error`.
  public var label: String { self == .bug ? "internal error" : rawValue }

  /// Whether this severity makes `porecipe check` fail (warnings only with `--strict`).
  public func fails(strict: Bool) -> Bool {
    switch self {
    case .error, .bug: true
    case .warning: strict
    case .note: false
    }
  }

  private var rank: Int {
    switch self {
    case .note: 0
    case .warning: 1
    case .error: 2
    case .bug: 3
    }
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}
