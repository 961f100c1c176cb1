/// The text of one source (a recipe file, or a `--set` argument shown as `<command line>`),
/// split into lines so a diagnostic can quote the line it points at.
public struct SourceFile: Sendable {
  /// The name diagnostics print: a path as the user wrote it, or `<command line>`.
  public let name: String
  public let text: String
  private let lines: [Substring]

  public init(name: String, text: String) {
    self.name = name
    self.text = text
    // NOTE: "\r\n" is one Character in Swift, so split on every YAML line break explicitly.
    self.lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
  }

  /// Line `number` (1-based) without its line break, or `nil` past the end.
  public func line(_ number: Int) -> Substring? {
    guard number >= 1, number <= lines.count else { return nil }
    return lines[number - 1]
  }

  /// How many lines the text has (a final line break does not start a new one).
  public var lineCount: Int { text.last?.isNewline == true ? lines.count - 1 : lines.count }
}

/// The sources a set of diagnostics may quote, by name.
public struct SourceFiles: Sendable {
  private var files: [String: SourceFile] = [:]

  public init(_ files: [SourceFile] = []) {
    for file in files { add(file) }
  }

  /// Adds (or replaces) a source under its name.
  public mutating func add(_ file: SourceFile) { files[file.name] = file }

  /// Adds every source of `other`.
  public mutating func merge(_ other: SourceFiles) {
    files.merge(other.files) { _, new in new }
  }

  public subscript(name: String) -> SourceFile? { files[name] }
}
