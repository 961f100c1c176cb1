/// A range of characters in a source file, 1-based line and column (counted in Unicode
/// scalars) at both ends; the end is exclusive.
///
/// Graph nodes carry the span of the recipe entry that made them, so a runtime error
/// (a NaN in a loss) can point at a line of a recipe.
public struct SourceSpan: Hashable, Sendable, Comparable, CustomStringConvertible {
  public var file: String
  public var startLine: Int
  public var startColumn: Int
  public var endLine: Int
  public var endColumn: Int

  public init(file: String, startLine: Int, startColumn: Int, endLine: Int, endColumn: Int) {
    self.file = file
    self.startLine = startLine
    self.startColumn = startColumn
    self.endLine = endLine
    self.endColumn = endColumn
  }

  /// A span of `length` characters on one line (at least one, so a caret always shows).
  public init(file: String, line: Int, column: Int, length: Int = 1) {
    self.init(file: file, startLine: line, startColumn: column, endLine: line, endColumn: column + max(length, 1))
  }

  /// A span that covers the first character of a file, for findings about the whole file.
  public static func start(of file: String) -> SourceSpan {
    SourceSpan(file: file, line: 1, column: 1)
  }

  /// `file:line:col`, the prefix of every diagnostic.
  public var description: String { "\(file):\(startLine):\(startColumn)" }

  /// Whether the span ends on a later line than it starts.
  public var isMultiline: Bool { endLine > startLine }

  /// Orders by file, then start, then end: the order diagnostics are printed in.
  public static func < (a: SourceSpan, b: SourceSpan) -> Bool {
    (a.file, a.startLine, a.startColumn, a.endLine, a.endColumn)
      < (b.file, b.startLine, b.startColumn, b.endLine, b.endColumn)
  }
}
