import Core
import Foundation
import Recipe
import Runtime

/// `porecipe run` on a preference recipe: warm start (cached), the dataset (offline) or the
/// rollouts (online), then the steps, with `metrics.jsonl`, `summary.json` and the final
/// weights in `checkpoints/<step>/model.safetensors`.
enum PreferenceRunSession {
  static func run(_ resolved: ResolvedRecipe, out: String?, resume: String? = nil, quiet: Bool, useCache: Bool = true) -> ToolReport {
    if resume != nil {
      return ToolReport(messages: "error: \(resolved.file): --resume is not supported for preference recipes yet; start the run again\n", exitCode: 1)
    }
    let start = Date()
    func note(_ text: String) { if !quiet { FileHandle.standardError.write(Data((text + "\n").utf8)) } }
    let setup: PreferenceRunSetup, trainer: PreferenceTrainer, recorder: PreferenceRunRecorder
    do {
      setup = try PreferenceRunSetup(resolved)
      for warning in setup.warnings { note(warning) }
      trainer = try PreferenceTrainer(task: setup.task, loss: setup.loss, configuration: setup.configuration)
      recorder = try PreferenceRunRecorder(directory: try RunRecorder.directory(out: out, recipeName: setup.recipeName), recipe: resolved)
      if setup.configuration.warmStart != nil { note("warm start of \(setup.task?.name ?? "the policy")") }
      try trainer.prepare(cache: useCache ? WarmStartCache() : nil)
      if let accuracy = trainer.warmStartEvalAccuracy {
        note(String(format: "warm start: %@held-out accuracy %.1f%% (%.1fs)", trainer.warmStart.map { "\($0.steps) steps, " } ?? "",
                    accuracy * 100, Date().timeIntervalSince(start)))
      }
      if case .online = setup.configuration.source {} else {
        note("data: \(trainer.examples.count) training and \(trainer.heldOutExamples.count) held-out examples"
          + (trainer.skippedPrompts > 0 ? " (\(trainer.skippedPrompts) prompts without a pair skipped)" : ""))
      }
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: 1)
    }
    note("training \(trainer.totalIterations) steps into \(recorder.directory.relativePath)")
    var failure: String?
    var lastPrinted = -Double.infinity
    while !trainer.isFinished {
      do {
        let m = try trainer.runIteration()
        let wall = Date().timeIntervalSince(start)
        recorder.record(m, wall: wall)
        if !quiet && (m.evalAccuracy != nil || wall - lastPrinted >= 1 || trainer.isFinished) {
          lastPrinted = wall
          note(String(format: "step %4d/%d  loss %.4f  margin %+.3f  reward acc %5.1f%%", m.iteration, trainer.totalIterations, m.loss, m.margin,
                      m.rewardAccuracy * 100) + (m.evalAccuracy.map { String(format: "  held-out %5.1f%%", $0 * 100) } ?? "")
            + String(format: "  %5.1fs", wall))
        }
      } catch {
        failure = "\(error)"
        break
      }
    }
    let wall = Date().timeIntervalSince(start)
    recorder.writeWeights(trainer.parameters, iteration: trainer.iteration)
    let summary = recorder.finish(wall: wall, trainer: trainer, error: failure)
    if let failure {
      return ToolReport(output: RunRecorder.text(summary),
                        messages: "error: the run stopped: \(failure); what it had is in \(recorder.directory.relativePath)\n", exitCode: 1)
    }
    return ToolReport(output: RunRecorder.text(summary),
                      messages: quiet ? "" : "wrote \(recorder.directory.relativePath)/{recipe.resolved.yaml,metrics.jsonl,summary.json,checkpoints}\n")
  }
}
