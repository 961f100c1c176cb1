import Diagnostics

/// The text of one expression and where it sits in its file, so that a diagnostic about a
/// token of the expression points at that token's column.
public struct ExprSource: Sendable {
  public let text: String
  /// The span of the whole value in the file (used when columns cannot be mapped exactly).
  public let span: SourceSpan
  /// Whether character `i` of `text` sits at `span.startColumn + offset + i` on `span.startLine`
  /// (a plain or a simply quoted one-line scalar).
  public let isExact: Bool
  /// Characters between the value's start and the expression's first character (1 for a quote).
  public let offset: Int

  public init(text: String, span: SourceSpan, isExact: Bool, offset: Int = 0) {
    self.text = text
    self.span = span
    self.isExact = isExact
    self.offset = offset
  }

  /// An expression that is the whole of a one-line file `file`, starting at column 1.
  public init(text: String, file: String = "<expr>") {
    let length = text.unicodeScalars.count
    self.init(text: text, span: SourceSpan(file: file, line: 1, column: 1, length: length), isExact: true)
  }

  /// The file span of characters `range` (Unicode-scalar offsets into `text`).
  public func span(of range: Range<Int>) -> SourceSpan {
    guard isExact else { return span }
    let start = span.startColumn + offset + range.lowerBound
    return SourceSpan(file: span.file, line: span.startLine, column: start, length: range.count)
  }
}
