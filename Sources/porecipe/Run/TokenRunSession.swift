import Diagnostics
import Foundation
import Recipe
import Runtime

/// `porecipe run` on a token task: warm start (cached), then iterations of rollout and
/// update, with metrics, checkpoints and `--resume` as for environment tasks.
enum TokenRunSession {
  static func run(_ resolved: ResolvedRecipe, out: String?, resume: String?, quiet: Bool, terminal: Bool,
                  checkpointEvery: Int, cache: WarmStartCache? = WarmStartCache()) -> ToolReport {
    var start = Date()
    let setup: TokenRunSetup, trainer: TokenTrainer, recorder: TokenRunRecorder, directory: URL
    var progress: TokenProgress
    do {
      setup = try TokenRunSetup(resolved)
      trainer = try TokenTrainer(task: setup.task, rewards: setup.rewards, recipe: setup.objective, configuration: setup.configuration,
                                 workingDirectory: URL(fileURLWithPath: resolved.file).deletingLastPathComponent().path)
      progress = TokenProgress(total: setup.configuration.iterations, terminal: terminal, quiet: quiet)
      if let resume {
        let latest: URL
        (directory, latest) = try RunRecorder.resumed(resume)
        let checkpoint = try TokenTrainerCheckpoint.read(from: latest)
        try trainer.restore(checkpoint)
        recorder = try TokenRunRecorder(resuming: directory, after: checkpoint.state.iteration)
        start = start.addingTimeInterval(-recorder.resumedWall)
      } else {
        directory = try RunRecorder.directory(out: out, recipeName: setup.recipeName)
        recorder = try TokenRunRecorder(directory: directory, recipe: resolved)
        progress.note("warm start of \(setup.task.name) (\(setup.configuration.warmStart.map { "until \(Int($0.untilAccuracy * 100))% validation accuracy" } ?? "none"))")
        try trainer.runWarmStart(cache: cache)
        let accuracy = trainer.warmStartEvalAccuracy ?? 0
        progress.note(String(format: "warm start: %@held-out accuracy %.1f%% (%.1fs)",
                             trainer.warmStart.map { "\($0.steps) steps, " } ?? "", accuracy * 100, Date().timeIntervalSince(start)))
        try recorder.writeCheckpoint(trainer.checkpoint())
      }
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: 1)
    }
    progress.begin(directory: directory.relativePath, from: trainer.iteration)
    var failure: String?
    while !trainer.isFinished {
      do {
        let metrics = try trainer.runIteration()
        let wall = Date().timeIntervalSince(start)
        try recorder.record(metrics, wall: wall)
        progress.update(metrics, wall: wall)
        if metrics.iteration % max(checkpointEvery, 1) == 0 || trainer.isFinished {
          try recorder.writeCheckpoint(trainer.checkpoint())
        }
      } catch {
        failure = "\(error)"
        break
      }
    }
    trainer.rewards.close()
    let wall = Date().timeIntervalSince(start)
    progress.end()
    let summary: JSONValue
    do {
      summary = try recorder.finish(wall: wall, warmStart: trainer.warmStart, warmStartEvalAccuracy: trainer.warmStartEvalAccuracy, error: failure)
    } catch {
      return RunRecorder.unfinished(error, stopped: failure, directory: directory)
    }
    if let failure {
      return ToolReport(output: RunRecorder.text(summary),
                        messages: "error: the run stopped: \(failure); what it had is in \(directory.relativePath)\n", exitCode: 1)
    }
    return ToolReport(output: RunRecorder.text(summary),
                      messages: quiet ? "" : "wrote \(directory.relativePath)/{recipe.resolved.yaml,metrics.jsonl,summary.json,checkpoints}\n")
  }
}

/// The progress display of a token run: one rewritten line on a terminal, a plain line
/// about every second otherwise.
struct TokenProgress {
  let total: Int, terminal: Bool, quiet: Bool
  private var lastPrinted = -Double.infinity
  private var evalAccuracy: Double?
  /// Where this session's iterations began (after the warm start), for the ETA.
  private var firstIteration: (iteration: Int, wall: Double)?

  init(total: Int, terminal: Bool, quiet: Bool) { (self.total, self.terminal, self.quiet) = (total, terminal, quiet) }

  func note(_ text: String) { if !quiet { write(text + "\n") } }

  func begin(directory: String, from iteration: Int) {
    guard !quiet else { return }
    write((iteration == 0 ? "training" : "resuming after iteration \(iteration) of") + " \(total) iterations into \(directory)\n")
  }

  mutating func update(_ m: TokenIterationMetrics, wall: Double) {
    guard !quiet else { return }
    if let accuracy = m.evalAccuracy { evalAccuracy = accuracy }
    if firstIteration == nil { firstIteration = (m.iteration - 1, wall) }
    let isLast = m.iteration == total
    guard m.evalAccuracy != nil || isLast || wall - lastPrinted >= (terminal ? 0.1 : 1) else { return }
    lastPrinted = wall
    let (first, start) = firstIteration ?? (0, 0)
    let done = m.iteration - first
    let eta = done > 1 ? (wall - start) / Double(done - 1) * Double(total - m.iteration) : 0
    let held = evalAccuracy.map { String(format: "held-out %5.1f%%", $0 * 100) } ?? "held-out     -"
    let text = String(format: "iter %4d/%d  reward %5.3f  acc %5.1f%%  ", m.iteration, total, m.rewardMean, m.accuracy * 100) + held
      + String(format: "  len %4.1f  %6.0f tok/s  %5.1fs  ETA %4.0fs", m.responseLengthMean, m.tokensPerSecond, wall, eta)
    if terminal && m.evalAccuracy == nil && !isLast {
      let width = 20, filled = total > 0 ? width * m.iteration / total : width
      write("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text)
    } else {
      write((terminal ? "\r" : "") + text + "\n")
    }
  }

  func end() {}

  private func write(_ text: String) { Output.writeError(text) }
}
