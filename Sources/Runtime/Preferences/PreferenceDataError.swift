/// A preference data file that cannot be used, reported before training starts: the file,
/// the 1-based line (0 for the whole file) and why.
public struct PreferenceDataError: Error, Equatable, Sendable, CustomStringConvertible {
  public var path: String
  public var line: Int
  public var message: String

  public init(path: String, line: Int, _ message: String) {
    self.path = path
    self.line = line
    self.message = message
  }

  /// `FILE:LINE: error: MESSAGE`, the compiler form of every diagnostic.
  public var description: String { line > 0 ? "\(path):\(line): error: \(message)" : "\(path): error: \(message)" }
}
