import Diagnostics
import Core
import Foundation
import Recipe
import Runtime

/// The files of a preference run directory: `recipe.resolved.yaml`, `metrics.jsonl` (one
/// object per step: `iteration`, `pairs`, `wall_s`, `loss`, `chosen_reward`,
/// `rejected_reward`, `margin`, `reward_accuracy`, and when measured
/// `heldout_reward_accuracy`, `heldout_margin`, `eval_accuracy`, `sample_accuracy`, the loss's other terms),
/// `summary.json` and the final weights.
final class PreferenceRunRecorder {
  let directory: URL
  private let metrics: FileHandle
  private var lastEvalAccuracy: Double?
  private var lastHeldOutRewardAccuracy: Double?
  private var pairs = 0
  private var firstMargin: Double?, lastMargin: Double?
  private var firstHeldOutMargin: Double?, lastHeldOutMargin: Double?

  init(directory: URL, recipe: ResolvedRecipe) throws(RunRecorder.Failure) {
    self.directory = directory
    metrics = try RunRecorder.create(directory, recipe: recipe)
  }

  deinit { try? metrics.close() }

  func record(_ m: PreferenceStepMetrics, wall: Double) {
    pairs += m.pairs
    if let accuracy = m.evalAccuracy { lastEvalAccuracy = accuracy }
    if let accuracy = m.heldOutRewardAccuracy { lastHeldOutRewardAccuracy = accuracy }
    if let margin = m.heldOutMargin {
      if firstHeldOutMargin == nil { firstHeldOutMargin = margin }
      lastHeldOutMargin = margin
    }
    if m.pairs > 0 {
      if firstMargin == nil { firstMargin = m.margin }
      lastMargin = m.margin
    }
    metrics.write(Data((Self.line(m, wall: wall).compact + "\n").utf8))
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

  /// Writes `checkpoints/<iteration>/model.safetensors` (failures are ignored: the metrics stand).
  func writeWeights(_ parameters: TransformerParameters, iteration: Int) {
    let target = directory.appendingPathComponent("checkpoints").appendingPathComponent(String(iteration))
    do {
      try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
      try SafeTensors.encode(Array(zip(parameters.names, parameters.tensors)).map { (name: $0.0, tensor: $0.1) })
        .write(to: target.appendingPathComponent("model.safetensors"))
    } catch {}
  }

  /// Writes `summary.json`.
  @discardableResult
  func finish(wall: Double, trainer: PreferenceTrainer, error: String?) -> JSONValue {
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
    try? metrics.synchronize()
    try? Data(RunRecorder.text(summary).utf8).write(to: directory.appendingPathComponent("summary.json"), options: .atomic)
    return summary
  }
}
