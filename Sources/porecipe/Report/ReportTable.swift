import Diagnostics
import Foundation

/// The table `porecipe report` prints: one row per series, each figure as the mean over
/// seeds with its min–max range in brackets (`0.512 [0.490, 0.530]`; a single run shows
/// its value alone).
enum ReportTable {
  static let headers = ["recipe", "runs", "seeds", "metric", "final", "best", "warm start", "gain", "solved", "wall_s"]

  /// The table as aligned plain text, columns separated by two spaces.
  static func text(_ series: [ReportSeries]) -> String {
    let rows = series.map { s in
      let digits = s.kind == .token ? 3 : 1
      return [s.label, String(s.runs.count), s.seeds.isEmpty ? "-" : s.seeds.map(String.init).joined(separator: ","), s.metric,
              format(s.final, digits: digits), format(s.best, digits: digits), format(s.warmStart, digits: 3),
              format(s.gain, digits: 3, signed: true), s.kind == .environment ? "\(s.solvedCount)/\(s.runs.count)" : "-",
              format(s.wall, digits: 1)]
    }
    let table = [headers] + rows
    let widths = headers.indices.map { column in table.map { $0[column].count }.max() ?? 0 }
    return table.map { row in
      row.enumerated().map { column, cell in
        column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
      }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }

  /// `mean [min, max]`, or the value alone for one run, or `-` when absent.
  static func format(_ spread: Spread?, digits: Int, signed: Bool = false) -> String {
    guard let spread else { return "-" }
    let number = { (x: Double) in String(format: "%\(signed ? "+" : "").\(digits)f", x) }
    return spread.count == 1 ? number(spread.mean) : "\(number(spread.mean)) [\(number(spread.min)), \(number(spread.max))]"
  }

  /// The table as a JSON array, one object per series; absent figures are absent keys.
  static func json(_ series: [ReportSeries]) -> JSONValue {
    .array(series.map { s in
      var members: [(String, JSONValue)] = [
        ("recipe", .string(s.recipe)), ("label", .string(s.label)), ("kind", .string(s.kind.rawValue)),
        ("runs", .array(s.runs.map { .string($0.directory) })), ("seeds", .array(s.seeds.map { .int($0) })),
        ("metric", .string(s.metric)),
      ]
      let figures: [(String, Spread?)] = [("final", s.final), ("best", s.best), ("warm_start_eval_accuracy", s.warmStart),
                                          ("gain", s.gain), ("wall_s", s.wall)]
      for (key, spread) in figures {
        if let spread { members.append((key, json(spread))) }
      }
      if s.kind == .environment { members.append(("solved_runs", .int(s.solvedCount))) }
      return .object(members)
    })
  }

  static func json(_ spread: Spread) -> JSONValue {
    .object([("mean", .number(spread.mean)), ("min", .number(spread.min)), ("max", .number(spread.max)), ("count", .int(spread.count))])
  }
}
