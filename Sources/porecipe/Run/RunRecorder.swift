import Blocks
import Diagnostics
import Foundation
import Recipe
import Runtime

/// The files of a run directory (DESIGN.md, "Runs and their files"): `recipe.resolved.yaml`,
/// `metrics.jsonl` (one object per iteration) and `summary.json`.
final class RunRecorder {
  struct Failure: Error, CustomStringConvertible { var description: String }

  let directory: URL
  private let metrics: FileHandle
  private(set) var finalReturn: Double?
  private(set) var bestReturn: Double?
  private(set) var solvedAt: Int?
  private(set) var envSteps = 0
  let threshold: Double?

  /// A directory that holds `recipe.resolved.yaml` is a run directory.
  static let marker = "recipe.resolved.yaml"

  /// The directory to write: `out`, or `runs/<recipe>-<date-time>/`. Refuses an existing path
  /// that is not a directory, or a non-empty directory that is not a run directory.
  static func directory(out: String?, recipeName: String, now: Date = Date()) throws(Failure) -> URL {
    let path: String
    if let out {
      path = out
    } else {
      let formatter = DateFormatter()
      formatter.locale = Locale(identifier: "en_US_POSIX")
      formatter.timeZone = TimeZone(identifier: "UTC")
      formatter.dateFormat = "yyyyMMdd-HHmmss"
      path = "runs/\(recipeName)-\(formatter.string(from: now))"
    }
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else { throw Failure(description: "--out \(path) exists and is not a directory") }
      let contents = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
      guard contents.isEmpty || contents.contains(marker) else {
        throw Failure(description: "--out \(path) exists and is not a run directory (no \(marker)); choose another directory")
      }
    }
    return url
  }

  /// Creates the directory and writes `recipe.resolved.yaml`; `metrics.jsonl` starts empty.
  init(directory: URL, recipe: ResolvedRecipe, threshold: Double?) throws(Failure) {
    self.directory = directory
    self.threshold = threshold
    metrics = try Self.create(directory, recipe: recipe)
  }

  /// Creates a run directory: `recipe.resolved.yaml` written, an old `summary.json` removed,
  /// `metrics.jsonl` empty and returned open for appending (every kind of run starts so).
  static func create(_ directory: URL, recipe: ResolvedRecipe) throws(Failure) -> FileHandle {
    do {
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      try Data(resolvedYAML(recipe).utf8).write(to: directory.appendingPathComponent(marker), options: .atomic)
      try? FileManager.default.removeItem(at: directory.appendingPathComponent("summary.json"))
      let metricsURL = directory.appendingPathComponent("metrics.jsonl")
      try Data().write(to: metricsURL)
      return try FileHandle(forWritingTo: metricsURL)
    } catch {
      throw Failure(description: "cannot write the run directory \(directory.path): \(Output.reason(error))")
    }
  }

  /// Reopens the run directory `directory` for a resume after `iteration`: `metrics.jsonl`
  /// keeps its lines up to that iteration (a line cut by a kill goes too) and the summary
  /// figures are recomputed from them.
  init(resuming directory: URL, after iteration: Int, threshold: Double?) throws(Failure) {
    self.directory = directory
    self.threshold = threshold
    let reopened = try Self.reopenMetrics(in: directory, after: iteration)
    metrics = reopened.handle
    for line in reopened.lines {
      envSteps = line["env_steps"].flatMap { Int(exactly: $0) } ?? envSteps
      resumedWall = line["wall_s"] ?? resumedWall
      if let mean = line["episode_return_mean"] {
        finalReturn = mean
        bestReturn = Swift.max(bestReturn ?? mean, mean)
        if solvedAt == nil, let threshold, mean >= threshold { solvedAt = envSteps }
      }
    }
  }

  /// Wall time spent before a resume (0 for a fresh run).
  private(set) var resumedWall = 0.0

  // MARK: - Checkpoints

  /// Writes `checkpoints/<iteration>/` (temporary name, then renamed) and removes all but
  /// the two latest.
  func writeCheckpoint(_ checkpoint: TrainerCheckpoint) throws(Failure) {
    try Self.writeCheckpoint(in: directory, iteration: checkpoint.state.iteration, checkpoint.write(to:))
  }

  /// Writes `checkpoints/<iteration>/` of the run directory `directory` with `write` and
  /// removes all but the two latest (every kind of run keeps its checkpoints so).
  static func writeCheckpoint(in directory: URL, iteration: Int, _ write: (URL) throws -> Void) throws(Failure) {
    let root = directory.appendingPathComponent("checkpoints")
    let target = root.appendingPathComponent(String(iteration))
    do {
      try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
      try write(target)
    } catch {
      throw Failure(description: "cannot write the checkpoint \(target.path): \(Output.reason(error))")
    }
    let numbers = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).compactMap(Int.init)
    for number in numbers.sorted().dropLast(2) { try? FileManager.default.removeItem(at: root.appendingPathComponent(String(number))) }
  }

  /// The run directory `--resume` names and its latest complete checkpoint.
  static func resumed(_ path: String) throws(Failure) -> (directory: URL, checkpoint: URL) {
    let directory = URL(fileURLWithPath: path)
    guard FileManager.default.fileExists(atPath: directory.appendingPathComponent(marker).path) else {
      throw Failure(description: "--resume \(path) is not a run directory (no \(marker))")
    }
    return (directory, try latestCheckpoint(in: directory))
  }

  /// The latest complete checkpoint of the run directory `directory`.
  static func latestCheckpoint(in directory: URL) throws(Failure) -> URL {
    let checkpoints = directory.appendingPathComponent("checkpoints")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpoints.path)) ?? []
    guard let latest = names.compactMap(Int.init).max() else {
      throw Failure(description: "\(directory.path) has no checkpoint to resume from")
    }
    return checkpoints.appendingPathComponent(String(latest))
  }

  /// Reopens `metrics.jsonl` of the run directory `directory` to resume after `iteration`: it
  /// keeps its complete lines up to that iteration (a line cut by a kill goes too), returned
  /// as their numbers by key (`null`s left out), and is open for appending the next.
  static func reopenMetrics(in directory: URL, after iteration: Int) throws(Failure) -> (handle: FileHandle, lines: [[String: Double]]) {
    let url = directory.appendingPathComponent("metrics.jsonl")
    var kept: [String] = [], lines: [[String: Double]] = []
    let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      // NOTE: JSONDecoder, not JSONSerialization: on Linux the latter reads decimals as
      // NSDecimalNumber, whose doubleValue is off in the last digit, so figures recomputed
      // from the lines would differ from the uninterrupted run's.
      guard let object = try? JSONDecoder().decode([String: Double?].self, from: Data(line.utf8)).compactMapValues({ $0 }),
            let number = object["iteration"], number <= Double(iteration), number == Double(kept.count + 1) else { break }
      kept.append(String(line))
      lines.append(object)
    }
    guard kept.count == iteration else {
      throw Failure(description: "\(url.path) has \(kept.count) complete lines, the checkpoint is after iteration \(iteration)")
    }
    do {
      try Data(kept.map { $0 + "\n" }.joined().utf8).write(to: url, options: .atomic)
      let handle = try FileHandle(forWritingTo: url)
      try handle.seekToEnd()
      return (handle, lines)
    } catch {
      throw Failure(description: "cannot write \(url.path): \(Output.reason(error))")
    }
  }

  deinit { try? metrics.close() }

  /// Appends the iteration's line to `metrics.jsonl` and updates the summary figures.
  /// - Throws: `Failure` when the line cannot be written (the lines before it stay).
  func record(_ m: IterationMetrics, wall: Double) throws(Failure) {
    envSteps = m.envSteps
    if let mean = m.episodeReturnMean {
      finalReturn = mean
      bestReturn = Swift.max(bestReturn ?? mean, mean)
      if solvedAt == nil, let threshold, mean >= threshold { solvedAt = m.envSteps }
    }
    try Self.append(Self.line(m, wall: wall), to: metrics, in: directory)
  }

  /// Appends `line` and a newline to the open `metrics.jsonl` of the run directory `directory`.
  static func append(_ line: JSONValue, to metrics: FileHandle, in directory: URL) throws(Failure) {
    do {
      try Output.write(Data((line.compact + "\n").utf8), to: metrics, name: directory.appendingPathComponent("metrics.jsonl").relativePath)
    } catch { throw Failure(description: error.description) }
  }

  /// Forces `metrics.jsonl` to the disk and writes `summary.json` (every kind of run ends so).
  /// - Throws: `Failure` naming the file that could not be written.
  static func writeSummary(_ summary: JSONValue, metrics: FileHandle, in directory: URL) throws(Failure) {
    do {
      try Output.synchronize(metrics, name: directory.appendingPathComponent("metrics.jsonl").relativePath)
      try Output.write(Data(text(summary).utf8), to: directory.appendingPathComponent("summary.json"))
    } catch { throw Failure(description: error.description) }
  }

  /// The report of a run whose `summary.json` could not be written: why the run stopped
  /// first, when it did, then the write that failed; exit code 1.
  static func unfinished(_ failure: Failure, stopped: String?, directory: URL) -> ToolReport {
    let saved = "what the run had is in \(directory.relativePath)"
    let reason = stopped.map { "error: the run stopped: \($0); \(saved)\n" } ?? ""
    return ToolReport(messages: reason + "error: \(failure)" + (stopped == nil ? "; \(saved)\n" : "\n"), exitCode: 1)
  }

  /// One `metrics.jsonl` object: keys that do not apply (no finished episode yet) are absent.
  static func line(_ m: IterationMetrics, wall: Double) -> JSONValue {
    var members: [(String, JSONValue)] = [("iteration", .int(m.iteration)), ("env_steps", .int(m.envSteps)), ("wall_s", .number(rounded(wall)))]
    if let mean = m.episodeReturnMean { members.append(("episode_return_mean", .number(mean))) }
    if let mean = m.episodeLengthMean { members.append(("episode_length_mean", .number(mean))) }
    members += [("pg_loss", .number(m.pgLoss)), ("value_loss", .number(m.valueLoss)), ("entropy", .number(m.entropy)),
                ("approx_kl", .number(m.approxKL))]
    // NOTE: keys that do not apply are absent (DESIGN.md): a2c, ppo_penalty and mdpo clip nothing.
    if let fraction = m.clipFraction { members.append(("clip_frac", .number(fraction))) }
    members += [("lr", .number(m.learningRate)),
                ("sps", .number(wall > 0 ? (Double(m.envSteps) / wall).rounded() : 0))]
    if let beta = m.klCoefficient { members.append(("kl_coef", .number(beta))) }
    return .object(members)
  }

  /// Writes `summary.json`; `error` (a non-finite stop) is recorded when given.
  /// - Throws: `Failure` when `metrics.jsonl` or `summary.json` cannot be written.
  @discardableResult
  func finish(wall: Double, error: String? = nil) throws(Failure) -> JSONValue {
    var members: [(String, JSONValue)] = []
    if let finalReturn { members.append(("final_episode_return_mean", .number(finalReturn))) }
    if let bestReturn { members.append(("best_episode_return_mean", .number(bestReturn))) }
    if let solvedAt { members.append(("solved_at_env_steps", .int(solvedAt))) }
    members += [("env_steps", .int(envSteps)), ("wall_s", .number(Self.rounded(wall))),
                ("sps", .number(wall > 0 ? (Double(envSteps) / wall).rounded() : 0))]
    if let error { members.append(("error", .string(error))) }
    let summary = JSONValue.object(members)
    try Self.writeSummary(summary, metrics: metrics, in: directory)
    return summary
  }

  /// A JSON document as text ending in one newline.
  static func text(_ json: JSONValue) -> String {
    let pretty = json.pretty
    return pretty.hasSuffix("\n") ? pretty : pretty + "\n"
  }

  static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

  // MARK: - recipe.resolved.yaml

  /// Every resolved value as nested YAML, each with its origin as a comment; `extends` is left
  /// out (its values are already merged in) and data files' paths are made absolute
  /// (`RecipeValues.dataFileKeys`), so the file checks and runs on its own from anywhere.
  static func resolvedYAML(_ recipe: ResolvedRecipe) -> String {
    var out = "# \(recipe.name) resolved by porecipe from \(recipe.file): every value, with its origin.\n"
    var open: [String] = []
    let values = RecipeValues(recipe)
    for entry in recipe.entries where entry.path != "extends" {
      guard var value = entry.value else { continue }
      if RecipeValues.dataFileKeys.contains(entry.path), case .string(let path) = value { value = .string(values.dataFile(path: path)) }
      if case .declaredDefault = entry.origin, tokenRolloutKeys.contains(entry.path) { continue }
      let parts = entry.path.split(separator: ".").map(String.init)
      var common = 0
      while common < open.count, common < parts.count - 1, open[common] == parts[common] { common += 1 }
      open.removeSubrange(common...)
      for k in common..<(parts.count - 1) {
        out += String(repeating: "  ", count: k) + parts[k] + ":\n"
        open.append(parts[k])
      }
      let line = String(repeating: "  ", count: parts.count - 1) + parts[parts.count - 1] + ": " + yaml(value)
      out += line.padding(toLength: Swift.max(line.count, 44), withPad: " ", startingAt: 0) + "  # " + entry.origin.comment + "\n"
    }
    return out
  }

  /// Rollout defaults that only token tasks read (check warns about them on environment tasks).
  static let tokenRolloutKeys: Set = ["rollout.prompts", "rollout.group", "rollout.max_tokens", "rollout.temperature",
                                      "rollout.top_k", "rollout.top_p"]

  static func yaml(_ value: ParamValue) -> String {
    switch value {
    case .bool(let b): String(b)
    case .int(let i): String(i)
    case .float(let x): JSONValue.number(x).compact
    case .string(let s): JSONValue.string(s).compact
    case .list(let items): "[" + items.map(yaml).joined(separator: ", ") + "]"
    case .null: "null"
    }
  }
}
