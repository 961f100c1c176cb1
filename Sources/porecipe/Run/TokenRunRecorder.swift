import Diagnostics
import Foundation
import Recipe
import Runtime

/// The files of a token-task run directory: `recipe.resolved.yaml`, `metrics.jsonl` (one
/// object per iteration, keys that do not apply absent) and `summary.json` with the warm
/// start's and the final held-out accuracy.
final class TokenRunRecorder {
  let directory: URL
  private let metrics: FileHandle
  private(set) var lastEvalAccuracy: Double?
  private(set) var bestEvalAccuracy: Double?
  private(set) var iterations = 0
  private(set) var samples = 0
  private var tokensPerSecond: [Double] = []
  /// Wall time spent before a resume (0 for a fresh run).
  private(set) var resumedWall = 0.0

  /// Creates the directory and writes `recipe.resolved.yaml`; `metrics.jsonl` starts empty.
  init(directory: URL, recipe: ResolvedRecipe) throws(RunRecorder.Failure) {
    self.directory = directory
    metrics = try RunRecorder.create(directory, recipe: recipe)
  }

  /// Reopens `directory` to resume after `iteration`: `metrics.jsonl` keeps its complete
  /// lines up to that iteration (a line cut by a kill goes too).
  init(resuming directory: URL, after iteration: Int) throws(RunRecorder.Failure) {
    self.directory = directory
    let reopened = try RunRecorder.reopenMetrics(in: directory, after: iteration)
    metrics = reopened.handle
    for line in reopened.lines {
      resumedWall = line["wall_s"] ?? resumedWall
      samples = line["samples"].flatMap { Int(exactly: $0) } ?? samples
      if let accuracy = line["eval_accuracy"] {
        lastEvalAccuracy = accuracy
        bestEvalAccuracy = max(bestEvalAccuracy ?? accuracy, accuracy)
      }
      if let rate = line["tokens_per_s"] { tokensPerSecond.append(rate) }
    }
    iterations = iteration
  }

  deinit { try? metrics.close() }

  /// Appends the iteration's line and updates the summary figures.
  /// - Throws: `RunRecorder.Failure` when the line cannot be written (the lines before it stay).
  func record(_ m: TokenIterationMetrics, wall: Double) throws(RunRecorder.Failure) {
    iterations = m.iteration
    samples = m.samples
    tokensPerSecond.append(m.tokensPerSecond)
    if let accuracy = m.evalAccuracy {
      lastEvalAccuracy = accuracy
      bestEvalAccuracy = max(bestEvalAccuracy ?? accuracy, accuracy)
    }
    try RunRecorder.append(Self.line(m, wall: wall), to: metrics, in: directory)
  }

  /// One `metrics.jsonl` object.
  static func line(_ m: TokenIterationMetrics, wall: Double) -> JSONValue {
    var members: [(String, JSONValue)] = [("iteration", .int(m.iteration)), ("samples", .int(m.samples)),
                                          ("wall_s", .number(RunRecorder.rounded(wall))), ("reward_mean", .number(m.rewardMean))]
    for (name, value) in m.rewardTerms.sorted(by: { $0.key < $1.key }) { members.append(("reward_\(name)", .number(value))) }
    members.append(("accuracy", .number(m.accuracy)))
    if let accuracy = m.evalAccuracy { members.append(("eval_accuracy", .number(accuracy))) }
    members.append(("response_length_mean", .number(m.responseLengthMean)))
    if let x = m.responseLengthCorrectMean { members.append(("response_length_correct_mean", .number(x))) }
    if let x = m.responseLengthIncorrectMean { members.append(("response_length_incorrect_mean", .number(x))) }
    members += [("entropy", .number(m.entropy)), ("kl_ref", .number(m.klRef))]
    for name in ["clip_frac_low", "clip_frac_high", "clip_frac_dual"] {
      if let x = m.clipFractions[name] { members.append((name, .number(x))) }
    }
    if let x = m.replayedFraction { members.append(("replayed_frac", .number(x))) }
    members += [("filtered_frac", .number(m.filteredFraction)), ("tokens_per_s", .number(m.tokensPerSecond.rounded())),
                ("loss", .number(m.loss))]
    for (name, value) in m.lossTerms.sorted(by: { $0.key < $1.key }) { members.append((name == "entropy" ? "entropy_term" : name, .number(value))) }
    members.append(("lr", .number(m.learningRate)))
    if let coefficient = m.klCoefficient { members.append(("kl_coef", .number(coefficient))) }
    return .object(members)
  }

  /// Writes `summary.json`; `error` (a stopped run) is recorded when given.
  /// - Throws: `RunRecorder.Failure` when `metrics.jsonl` or `summary.json` cannot be written.
  @discardableResult
  func finish(wall: Double, warmStart: WarmStart.Result?, warmStartEvalAccuracy: Double?,
              error: String? = nil) throws(RunRecorder.Failure) -> JSONValue {
    var members: [(String, JSONValue)] = []
    if let warmStartEvalAccuracy { members.append(("warm_start_eval_accuracy", .number(warmStartEvalAccuracy))) }
    if let warmStart {
      members += [("warm_start_steps", .int(warmStart.steps)), ("warm_start_validation_accuracy", .number(warmStart.validationAccuracy))]
    }
    if let lastEvalAccuracy { members.append(("final_eval_accuracy", .number(lastEvalAccuracy))) }
    if let bestEvalAccuracy { members.append(("best_eval_accuracy", .number(bestEvalAccuracy))) }
    if let lastEvalAccuracy, let warmStartEvalAccuracy { members.append(("eval_accuracy_gain", .number(lastEvalAccuracy - warmStartEvalAccuracy))) }
    let rate = tokensPerSecond.isEmpty ? 0 : tokensPerSecond.reduce(0, +) / Double(tokensPerSecond.count)
    members += [("iterations", .int(iterations)), ("samples", .int(samples)), ("wall_s", .number(RunRecorder.rounded(wall))),
                ("tokens_per_s", .number(rate.rounded()))]
    if let error { members.append(("error", .string(error))) }
    let summary = JSONValue.object(members)
    try RunRecorder.writeSummary(summary, metrics: metrics, in: directory)
    return summary
  }

  /// Writes `checkpoints/<iteration>/` and keeps the two latest.
  func writeCheckpoint(_ checkpoint: TokenTrainerCheckpoint) throws(RunRecorder.Failure) {
    try RunRecorder.writeCheckpoint(in: directory, iteration: checkpoint.state.iteration, checkpoint.write(to:))
  }
}
