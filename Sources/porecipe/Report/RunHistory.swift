import Foundation

/// One run directory as `porecipe run` wrote it (DESIGN.md, "Runs and their files"): the
/// recipe's name and seed from `recipe.resolved.yaml`, the numeric keys of each
/// `metrics.jsonl` line and of `summary.json` (absent when the run was killed).
struct RunHistory: Equatable {
  /// Token tasks log `samples` and `eval_accuracy`; classic control logs `env_steps`.
  enum Kind: String, Equatable { case token, environment }

  var directory: String
  var recipe: String
  var seed: Int?
  var kind: Kind
  /// One dictionary per iteration, in file order: the line's numeric keys.
  var iterations: [[String: Double]]
  var summary: [String: Double]

  /// Reads the run directory at `path`.
  init(directory path: String) throws(ReportError) {
    let url = URL(fileURLWithPath: path)
    let resolvedPath = url.appendingPathComponent(RunRecorder.marker).path
    let yaml = try Self.text(at: resolvedPath)
    directory = path
    (recipe, seed) = Self.nameAndSeed(yaml: yaml, fallback: url.lastPathComponent)
    if seed == nil, url.lastPathComponent.hasPrefix("seed-") { seed = Int(url.lastPathComponent.dropFirst(5)) }

    let metricsPath = url.appendingPathComponent("metrics.jsonl").path
    iterations = try Self.metrics(try Self.text(at: metricsPath), path: metricsPath)
    guard !iterations.isEmpty else { throw .noMetrics(path: metricsPath, reason: "no iteration recorded") }
    if iterations.contains(where: { $0["env_steps"] != nil }) {
      kind = .environment
    } else if iterations.contains(where: { $0["samples"] != nil || $0["eval_accuracy"] != nil }) {
      kind = .token
    } else {
      throw .noMetrics(path: metricsPath, reason: "no line has env_steps (classic control) or samples (token task)")
    }

    let summaryPath = url.appendingPathComponent("summary.json").path
    summary = [:]
    if FileManager.default.fileExists(atPath: summaryPath) {
      let object: Any
      do { object = try JSONSerialization.jsonObject(with: Data(try Self.text(at: summaryPath).utf8)) } catch let error as ReportError {
        throw error
      } catch {
        throw .corruptSummary(path: summaryPath, reason: "not JSON")
      }
      guard let members = object as? [String: Any] else { throw .corruptSummary(path: summaryPath, reason: "not a JSON object") }
      summary = members.compactMapValues(Self.number)
    }
  }

  /// The values of `key` over iterations, paired with `x` (iterations missing either are skipped).
  func curve(_ key: String, x: String) -> [(x: Double, y: Double)] {
    iterations.compactMap { row in row[x].flatMap { x in row[key].map { (x, $0) } } }
  }

  // MARK: - Reading

  static func text(at path: String) throws(ReportError) -> String {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw .unreadable(path: path, reason: "no such file")
    }
    guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "permission denied") }
    guard let text = String(data: data, encoding: .utf8) else { throw .unreadable(path: path, reason: "not UTF-8 text") }
    return text
  }

  /// The numeric keys of each line; a line that is not a JSON object with a numeric
  /// `iteration` is an error naming `path:line` (an empty last line is the file's end).
  static func metrics(_ text: String, path: String) throws(ReportError) -> [[String: Double]] {
    var rows: [[String: Double]] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    for (index, line) in lines.enumerated() {
      if line.isEmpty && index == lines.count - 1 { break }
      let object: Any
      do { object = try JSONSerialization.jsonObject(with: Data(line.utf8)) } catch {
        throw .corruptLine(path: path, line: index + 1, reason: line.isEmpty ? "empty line" : "not JSON: \(Self.quoted(line))")
      }
      guard let members = object as? [String: Any] else {
        throw .corruptLine(path: path, line: index + 1, reason: "not a JSON object: \(Self.quoted(line))")
      }
      let row = members.compactMapValues(number)
      guard row["iteration"] != nil else {
        throw .corruptLine(path: path, line: index + 1, reason: "no numeric 'iteration' key")
      }
      rows.append(row)
    }
    return rows
  }

  /// A JSON number as a Double; `nil` for strings, arrays, objects and null.
  static func number(_ value: Any) -> Double? {
    if let x = value as? Double { return x }
    if let i = value as? Int { return Double(i) }
    return (value as? NSNumber)?.doubleValue
  }

  /// The top-level `recipe:` and `train.seed` of a `recipe.resolved.yaml` (written by
  /// `RunRecorder.resolvedYAML`: one value a line, nested by two spaces).
  static func nameAndSeed(yaml: String, fallback: String) -> (String, Int?) {
    var name = fallback, seed: Int?, section = ""
    for line in yaml.split(separator: "\n") where !line.hasPrefix("#") {
      let code = line.split(separator: "#", maxSplits: 1).first.map { String($0) } ?? ""
      if !code.hasPrefix(" ") { section = String(code.prefix { $0 != ":" }) }
      if code.hasPrefix("recipe:") {
        let value = code.dropFirst("recipe:".count).trimmingCharacters(in: .whitespaces)
        name = value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
      } else if section == "train", code.hasPrefix("  seed:") {
        seed = Int(code.dropFirst("  seed:".count).trimmingCharacters(in: .whitespaces))
      }
    }
    return (name, seed)
  }

  private static func quoted(_ line: Substring) -> String {
    "'" + (line.count > 60 ? line.prefix(60) + "…" : line) + "'"
  }
}
