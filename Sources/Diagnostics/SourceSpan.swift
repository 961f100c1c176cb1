/// A range of characters in a source file, 1-based line and column (counted in Unicode
/// scalars) at both ends; the end is exclusive.
///
/// Graph nodes carry the span of the recipe entry that made them, so a runtime error
/// (a NaN in a loss) can point at a line of a recipe.
public struct SourceSpan: Hashable, Sendable, CustomStringConvertible {
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

  /// `file:line:col`, the prefix of every diagnostic.
  public var description: String { "\(file):\(startLine):\(startColumn)" }
}
