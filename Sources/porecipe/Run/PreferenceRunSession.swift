import Core
import Diagnostics
import Foundation
import Recipe
import Runtime

/// `porecipe run` on a preference recipe: warm start (cached), the dataset (offline) or the
/// rollouts (online), then the steps, with `metrics.jsonl`, `summary.json`, checkpoints and
/// `--resume` as for the other runs: `checkpoints/<step>/` after the dataset is built (step
/// 0), every `checkpointEvery` steps and at the end, the two latest kept.
enum PreferenceRunSession {
  static func run(_ resolved: ResolvedRecipe, out: String?, resume: String? = nil, quiet: Bool, checkpointEvery: Int = 100,
                  cache: WarmStartCache? = WarmStartCache()) -> ToolReport {
    var start = Date()
    func note(_ text: String) { if !quiet { Output.writeError(text + "\n") } }
    let setup: PreferenceRunSetup, trainer: PreferenceTrainer, recorder: PreferenceRunRecorder
    do {
      setup = try PreferenceRunSetup(resolved)
      for warning in setup.warnings { note(warning) }
      trainer = try PreferenceTrainer(task: setup.task, loss: setup.loss, configuration: setup.configuration)
      if let resume {
        let (directory, latest) = try RunRecorder.resumed(resume)
        let checkpoint = try PreferenceTrainerCheckpoint.read(from: latest)
        try trainer.restore(checkpoint)
        recorder = try PreferenceRunRecorder(resuming: directory, after: checkpoint.state.iteration)
        start = start.addingTimeInterval(-recorder.resumedWall)
      } else {
        recorder = try PreferenceRunRecorder(directory: try RunRecorder.directory(out: out, recipeName: setup.recipeName), recipe: resolved)
        if setup.configuration.warmStart != nil { note("warm start of \(setup.task?.name ?? "the policy")") }
        try trainer.prepare(cache: cache)
        if let accuracy = trainer.warmStartEvalAccuracy {
          note(String(format: "warm start: %@held-out accuracy %.1f%% (%.1fs)", trainer.warmStart.map { "\($0.steps) steps, " } ?? "",
                      accuracy * 100, Date().timeIntervalSince(start)))
        }
        if case .online = setup.configuration.source {} else {
          note("data: \(trainer.examples.count) training and \(trainer.heldOutExamples.count) held-out examples"
            + (trainer.skippedPrompts > 0 ? " (\(trainer.skippedPrompts) prompts without a pair skipped)" : ""))
        }
        try recorder.writeCheckpoint(trainer.checkpoint())
      }
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: 1)
    }
    note((trainer.iteration == 0 ? "training" : "resuming after step \(trainer.iteration) of") + " \(trainer.totalIterations) steps into \(recorder.directory.relativePath)")
    var failure: String?
    var lastPrinted = -Double.infinity
    while !trainer.isFinished {
      do {
        let m = try trainer.runIteration()
        let wall = Date().timeIntervalSince(start)
        try recorder.record(m, wall: wall)
        if m.iteration % max(checkpointEvery, 1) == 0 || trainer.isFinished { try recorder.writeCheckpoint(trainer.checkpoint()) }
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
    let summary: JSONValue
    do {
      summary = try recorder.finish(wall: wall, trainer: trainer, error: failure)
    } catch {
      return RunRecorder.unfinished(error, stopped: failure, directory: recorder.directory)
    }
    if let failure {
      return ToolReport(output: RunRecorder.text(summary),
                        messages: "error: the run stopped: \(failure); what it had is in \(recorder.directory.relativePath)\n", exitCode: 1)
    }
    return ToolReport(output: RunRecorder.text(summary),
                      messages: quiet ? "" : "wrote \(recorder.directory.relativePath)/{recipe.resolved.yaml,metrics.jsonl,summary.json,checkpoints}\n")
  }
}
