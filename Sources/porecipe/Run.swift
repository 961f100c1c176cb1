import ArgumentParser
import Diagnostics
import Foundation
import Recipe
import Runtime

/// `porecipe run RECIPE`: train the recipe and write its run directory.
struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train a recipe: metrics.jsonl, summary.json and the resolved recipe in a run directory.",
    discussion: """
      RECIPE is a recipe file or a built-in recipe name. The run writes into DIR \
      (default runs/<recipe>-<date-time>/): recipe.resolved.yaml, metrics.jsonl \
      (one object per iteration), summary.json and checkpoints/<iteration>/ (every \
      100 iterations and at the end). --resume DIR continues a killed run from its \
      latest checkpoint with the same numbers as an uninterrupted run. A progress \
      line on a terminal, plain lines otherwise; --quiet prints only the summary.

      Exit codes: 0 success, 1 a recipe with errors, a recipe 'run' cannot train, \
      an --out that is not a run directory, a checkpoint that is corrupt or of \
      another recipe, or a NaN/Inf during training (after writing what it has), \
      2 usage error or unreadable path.

      Examples:
        porecipe run recipes/ppo.yaml
        porecipe run recipes/ppo.yaml --set train.seed=2 --out runs/ppo-seed2
        porecipe run recipes/ppo.yaml --set train.seed=2 --resume runs/ppo-seed2
        porecipe run recipes/ppo.yaml --seeds 1,2,3 --out runs/ppo  (runs/ppo/seed-N)
        porecipe run recipes/grpo.yaml --set train.seed=3   (warm start, then GRPO)

      Token tasks (arithmetic, countdown, sorting, jsonl) first run the recipe's warm start \
      (policy.warm_start.sft) until its validation accuracy, cached by content under \
      $PORECIPE_CACHE or ~/.cache/porecipe (--no-cache to rerun it), then train for \
      train.iterations; metrics.jsonl adds reward, held-out accuracy (eval_accuracy every \
      train.eval_every iterations and at the end), lengths, entropy, kl_ref and the loss \
      terms; summary.json has warm_start_eval_accuracy and final_eval_accuracy.
      """)

  @Argument(help: "A recipe file or built-in recipe name.")
  var recipe: String

  @OptionGroup var options: OverrideOptions

  @Option(help: ArgumentHelp("The run directory (default runs/<recipe>-<date-time>/).", valueName: "DIR"))
  var out: String?

  @Option(help: ArgumentHelp("Continue the run in DIR from its latest checkpoint.", valueName: "DIR"))
  var resume: String?

  @Flag(help: "No progress lines; only the summary.")
  var quiet = false

  @Option(help: ArgumentHelp("Run once per seed into DIR/seed-N with train.seed=N; prints the report table.", valueName: "N,N,..."))
  var seeds: String?

  @Flag(name: .customLong("no-cache"), help: "Token tasks: run the warm start even when its weights are cached (and do not cache them).")
  var noCache = false

  func validate() throws {
    if out != nil && resume != nil { throw ValidationError("--resume continues in its own directory; leave out --out") }
    if let seeds { try RunSeeds.validate(seeds, overrides: options.overrides, resume: resume) }
  }

  func run() throws {
    if let seeds {
      return try Output.finish(RunSeeds.run(recipe: recipe, seeds: try RunSeeds.parse(seeds), overrides: options.overrides, out: out,
                                            quiet: quiet, terminal: isatty(STDERR_FILENO) == 1))
    }
    let report = RunSession.run(recipe: recipe, overrides: options.overrides, out: out, resume: resume, quiet: quiet,
                                terminal: isatty(STDERR_FILENO) == 1, cache: noCache ? nil : WarmStartCache())
    if !report.output.isEmpty { try Output.write(report.output) }
    if !report.messages.isEmpty { Output.writeError(report.messages) }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}

/// The whole of `porecipe run`: check, set up, train, record; progress goes to standard error
/// as it happens, the summary comes back in the report.
enum RunSession {
  static func run(recipe reference: String, overrides: [String], out: String?, resume: String? = nil, quiet: Bool,
                  terminal: Bool, checkpointEvery: Int = 100, cache: WarmStartCache? = WarmStartCache()) -> ToolReport {
    var start = Date()
    let resolved: ResolvedRecipe, warnings: String
    switch RunRecipe.load(reference, overrides: overrides, colored: terminal && Output.isColored) {
    case .stopped(let report): return report
    case .loaded(let recipe, let rendered): (resolved, warnings) = (recipe, rendered)
    }
    if !warnings.isEmpty, !quiet { Output.writeError(warnings) }
    if PreferenceRunSetup.isPreference(resolved) {
      return PreferenceRunSession.run(resolved, out: out, resume: resume, quiet: quiet, checkpointEvery: checkpointEvery, cache: cache)
    }
    if TokenRunSetup.isTokenTask(resolved) {
      return TokenRunSession.run(resolved, out: out, resume: resume, quiet: quiet, terminal: terminal, checkpointEvery: checkpointEvery,
                                 cache: cache)
    }
    let setup: RunSetup, directory: URL, trainer: Trainer, recorder: RunRecorder
    do {
      setup = try RunSetup(resolved)
      trainer = try Trainer(task: setup.task, configuration: setup.configuration)
      if let resume {
        let checkpoint: URL
        (directory, checkpoint) = try RunRecorder.resumed(resume)
        let saved = try TrainerCheckpoint.read(from: checkpoint)
        try trainer.restore(state: saved.state, parameters: saved.parameters, moments: saved.moments)
        recorder = try RunRecorder(resuming: directory, after: saved.state.iteration, threshold: setup.threshold)
        start = start.addingTimeInterval(-recorder.resumedWall)
      } else {
        directory = try RunRecorder.directory(out: out, recipeName: setup.recipeName)
        recorder = try RunRecorder(directory: directory, recipe: resolved, threshold: setup.threshold)
      }
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: 1)
    }
    var progress = Progress(total: trainer.iterations, batch: setup.configuration.batchSize, terminal: terminal, quiet: quiet)
    progress.begin(directory: directory.relativePath, from: trainer.iteration)
    var failure: (any Error)?
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
        failure = error
        break
      }
    }
    let wall = Date().timeIntervalSince(start)
    progress.end()
    let summary: JSONValue
    do {
      summary = try recorder.finish(wall: wall, error: failure.map { "\($0)" })
    } catch {
      return RunRecorder.unfinished(error, stopped: failure.map { "\($0)" }, directory: directory)
    }
    if let failure {
      return ToolReport(output: RunRecorder.text(summary),
                        messages: RunStop.render(failure, recipe: resolved, directory: directory.relativePath, colored: terminal && Output.isColored),
                        exitCode: 1)
    }
    return ToolReport(output: RunRecorder.text(summary), messages: quiet ? "" : "wrote \(directory.relativePath)/{recipe.resolved.yaml,metrics.jsonl,summary.json,checkpoints}\n")
  }
}

/// The progress display: one rewritten line on a terminal, a plain line about every second
/// otherwise (and for the last iteration).
struct Progress {
  let total: Int, batch: Int, terminal: Bool, quiet: Bool
  private var lastPrinted = -Double.infinity

  init(total: Int, batch: Int, terminal: Bool, quiet: Bool) {
    (self.total, self.batch, self.terminal, self.quiet) = (total, batch, terminal, quiet)
  }

  func begin(directory: String, from iteration: Int) {
    guard !quiet else { return }
    let what = iteration == 0 ? "training" : "resuming after iteration \(iteration) of"
    write("\(what) \(total) iterations of \(batch) env steps into \(directory)\n")
  }

  mutating func update(_ m: IterationMetrics, wall: Double) {
    guard !quiet else { return }
    let isLast = m.iteration == total
    guard terminal ? (wall - lastPrinted >= 0.1 || isLast) : (wall - lastPrinted >= 1 || isLast) else { return }
    lastPrinted = wall
    let sps = wall > 0 ? Double(m.envSteps) / wall : 0
    let eta = sps > 0 ? Double((total - m.iteration) * batch) / sps : 0
    let episodes = m.episodeReturnMean.map { String(format: "return %6.1f", $0) } ?? "return      -"
    let text = String(format: "iter %4d/%d  %9d steps  %8.0f sps  ", m.iteration, total, m.envSteps, sps) + episodes
      + String(format: "  %5.1fs  ETA %4.1fs", wall, eta)
    if terminal {
      let width = 30, filled = total > 0 ? width * m.iteration / total : width
      write("\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] " + text)
    } else {
      write(text + "\n")
    }
  }

  func end() {
    if terminal && !quiet { write("\n") }
  }

  private func write(_ text: String) { Output.writeError(text) }
}
