import Diagnostics
import Foundation
import Recipe
import Runtime

/// The files of a preference run directory: `recipe.resolved.yaml`, `metrics.jsonl` (one
/// object per step: `iteration`, `pairs`, `wall_s`, `loss`, `chosen_reward`,
/// `rejected_reward`, `margin`, `reward_accuracy`, and when measured
/// `heldout_reward_accuracy`, `heldout_margin`, `eval_accuracy`, `sample_accuracy`, the loss's other terms),
/// `summary.json` and `checkpoints/<step>/` (the trainer's state, final weights included).
final class PreferenceRunRecorder {
  let directory: URL
  private let metrics: FileHandle
  private var lastEvalAccuracy: Double?
  private var lastHeldOutRewardAccuracy: Double?
  private var pairs = 0
  private var firstMargin: Double?, lastMargin: Double?
  private var firstHeldOutMargin: Double?, lastHeldOutMargin: Double?
  /// Wall time spent before a resume (0 for a fresh run).
  private(set) var resumedWall = 0.0

  /// Creates the directory and writes `recipe.resolved.yaml`; `metrics.jsonl` starts empty.
  init(directory: URL, recipe: ResolvedRecipe) throws(RunRecorder.Failure) {
    self.directory = directory
    metrics = try RunRecorder.create(directory, recipe: recipe)
  }

  /// Reopens `directory` to resume after `iteration`: `metrics.jsonl` keeps its complete
  /// lines up to that step (a line cut by a kill goes too) and the summary figures are
  /// recomputed from them.
  init(resuming directory: URL, after iteration: Int) throws(RunRecorder.Failure) {
    self.directory = directory
    let reopened = try RunRecorder.reopenMetrics(in: directory, after: iteration)
    metrics = reopened.handle
    for line in reopened.lines {
      resumedWall = line["wall_s"] ?? resumedWall
      absorb(pairs: line["pairs"].flatMap { Int(exactly: $0) } ?? 0, margin: line["margin"] ?? 0, evalAccuracy: line["eval_accuracy"],
             heldOutRewardAccuracy: line["heldout_reward_accuracy"], heldOutMargin: line["heldout_margin"])
    }
  }

  deinit { try? metrics.close() }

  /// Appends the step's line and updates the summary figures.
  /// - Throws: `RunRecorder.Failure` when the line cannot be written (the lines before it stay).
  func record(_ m: PreferenceStepMetrics, wall: Double) throws(RunRecorder.Failure) {
    absorb(pairs: m.pairs, margin: m.margin, evalAccuracy: m.evalAccuracy, heldOutRewardAccuracy: m.heldOutRewardAccuracy,
           heldOutMargin: m.heldOutMargin)
    try RunRecorder.append(Self.line(m, wall: wall), to: metrics, in: directory)
  }

  /// Updates the summary figures with one step's values.
  private func absorb(pairs stepPairs: Int, margin: Double, evalAccuracy: Double?, heldOutRewardAccuracy: Double?, heldOutMargin: Double?) {
    pairs += stepPairs
    if let evalAccuracy { lastEvalAccuracy = evalAccuracy }
    if let heldOutRewardAccuracy { lastHeldOutRewardAccuracy = heldOutRewardAccuracy }
    if let heldOutMargin {
      if firstHeldOutMargin == nil { firstHeldOutMargin = heldOutMargin }
      lastHeldOutMargin = heldOutMargin
    }
    if stepPairs > 0 {
      if firstMargin == nil { firstMargin = margin }
      lastMargin = margin
    }
  }

  /// One `metrics.jsonl` object.
  static func line(_ m: PreferenceStepMetrics, wall: Double) -> JSONValue {
    var members: [(String, JSONValue)] = [
      ("iteration", .int(m.iteration)), ("pairs", .int(m.pairs)), ("wall_s", .number(RunRecorder.rounded(wall))),
      ("loss", .number(m.loss)), ("chosen_reward", .number(m.chosenReward)), ("rejected_reward", .number(m.rejectedReward)),
      ("margin", .number(m.margin)), ("reward_accuracy", .number(m.rewardAccuracy)),
    ]
    for (name, value) in m.terms.sorted(by: { $0.key < $1.key }) { members.append((name, .number(value))) }
    if let x = m.heldOutRewardAccuracy { members.append(("heldout_reward_accuracy", .number(x))) }
    if let x = m.heldOutMargin { members.append(("heldout_margin", .number(x))) }
    if let x = m.sampleAccuracy { members.append(("sample_accuracy", .number(x))) }
    if let x = m.evalAccuracy { members.append(("eval_accuracy", .number(x))) }
    return .object(members)
  }

  /// Writes `checkpoints/<step>/` and keeps the two latest.
  func writeCheckpoint(_ checkpoint: PreferenceTrainerCheckpoint) throws(RunRecorder.Failure) {
    try RunRecorder.writeCheckpoint(in: directory, iteration: checkpoint.state.iteration, checkpoint.write(to:))
  }

  /// Writes `summary.json`.
  /// - Throws: `RunRecorder.Failure` when `metrics.jsonl` or `summary.json` cannot be written.
  @discardableResult
  func finish(wall: Double, trainer: PreferenceTrainer, error: String?) throws(RunRecorder.Failure) -> JSONValue {
    var members: [(String, JSONValue)] = []
    if let x = trainer.warmStartEvalAccuracy { members.append(("warm_start_eval_accuracy", .number(x))) }
    if let warm = trainer.warmStart {
      members += [("warm_start_steps", .int(warm.steps)), ("warm_start_validation_accuracy", .number(warm.validationAccuracy))]
    }
    if let lastEvalAccuracy { members.append(("final_eval_accuracy", .number(lastEvalAccuracy))) }
    if let lastEvalAccuracy, let warm = trainer.warmStartEvalAccuracy { members.append(("eval_accuracy_gain", .number(lastEvalAccuracy - warm))) }
    if let lastHeldOutRewardAccuracy { members.append(("heldout_reward_accuracy", .number(lastHeldOutRewardAccuracy))) }
    if let firstMargin, let lastMargin { members += [("first_margin", .number(firstMargin)), ("final_margin", .number(lastMargin))] }
    if let start = trainer.warmStartHeldOut {
      members += [("warm_start_heldout_reward_accuracy", .number(start.accuracy)), ("warm_start_heldout_margin", .number(start.margin))]
    }
    if let first = firstHeldOutMargin, let last = lastHeldOutMargin {
      members += [("first_heldout_margin", .number(first)), ("final_heldout_margin", .number(last))]
    }
    members += [("iterations", .int(trainer.iteration)), ("pairs", .int(pairs)), ("wall_s", .number(RunRecorder.rounded(wall)))]
    if let error { members.append(("error", .string(error))) }
    let summary = JSONValue.object(members)
    try RunRecorder.writeSummary(summary, metrics: metrics, in: directory)
    return summary
  }
}
