/// Why `porecipe report` cannot read its runs; each names the file (and line) at fault.
enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A path that does not exist or cannot be read (exit 2).
  case unreadable(path: String, reason: String)
  /// A directory that is neither a run directory nor a directory of `seed-N` runs.
  case notARun(path: String)
  /// A `metrics.jsonl` line that is not a JSON object with a numeric `iteration`.
  case corruptLine(path: String, line: Int, reason: String)
  /// A `summary.json` that is not a JSON object.
  case corruptSummary(path: String, reason: String)
  /// A run whose `metrics.jsonl` has no line, or whose lines are neither kind of run.
  case noMetrics(path: String, reason: String)

  var description: String {
    switch self {
    case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
    case .notARun(let path):
      "\(path) is not a run directory (no recipe.resolved.yaml) nor a directory of seed-N run directories"
    case .corruptLine(let path, let line, let reason): "\(path):\(line): \(reason)"
    case .corruptSummary(let path, let reason): "\(path): \(reason)"
    case .noMetrics(let path, let reason): "\(path): \(reason)"
    }
  }

  /// DESIGN.md's exit codes: 2 for an unreadable path, 1 for a wrong run.
  var exitCode: Int32 {
    if case .unreadable = self { return 2 }
    return 1
  }
}
