import ArgumentParser
import Foundation
import Core
import Recipe
import Runtime

/// `porecipe sample RUN_DIR`: completions from a token or preference run's latest
/// checkpoint, and pass@k.
struct Sample: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Print completions from a token or preference run's checkpoint, or pass@k on a split.",
    discussion: """
      Loads the latest checkpoint of RUN_DIR (a directory written by 'porecipe run' on a \
      token task or a preference recipe) and its recipe.resolved.yaml. With --prompt, \
      prints K completions of TEXT (the first greedy, the rest sampled at the recipe's \
      temperature). With --split heldout (or train), draws K samples for every problem of \
      the split and prints the greedy accuracy and pass@k (a problem passes when any of its \
      K answers is correct); a preference run samples its task's problems (the one \
      task.preference.from names), and one on a preference_jsonl file, having no verifier, \
      takes --prompt only.

      Examples:
        porecipe sample runs/grpo-20261125-101500 --prompt "37+45="
        porecipe sample runs/grpo-20261125-101500 --split heldout --k 8
        porecipe sample runs/dpo-20261201-090000 --split heldout
      """)

  @Argument(help: ArgumentHelp("A token or preference run's directory.", valueName: "RUN_DIR"))
  var directory: String

  @Option(help: "A prompt to complete (the task's format, e.g. \"37+45=\").")
  var prompt: String?

  @Option(help: ArgumentHelp("Measure pass@k on this split: heldout or train.", valueName: "SPLIT"))
  var split: String?

  @Option(help: "Completions per prompt.")
  var k = 8

  @Option(help: "Problems drawn for --split train.")
  var problems = 256

  @Option(help: "The sampling seed.")
  var seed: UInt64 = 0

  func validate() throws {
    guard (prompt == nil) != (split == nil) else { throw ValidationError("give exactly one of --prompt TEXT and --split heldout|train") }
    if let split, !["heldout", "train"].contains(split) { throw ValidationError("--split takes heldout or train, not '\(split)'") }
    guard k >= 1 else { throw ValidationError("--k must be at least 1") }
  }

  func run() throws {
    let report = SampleSession.run(directory: directory, prompt: prompt, split: split, k: k, problems: problems, seed: seed)
    if !report.output.isEmpty { try Output.write(report.output) }
    if !report.messages.isEmpty { Output.writeError(report.messages) }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}

/// The library side of `porecipe sample`.
enum SampleSession {
  static func run(directory: String, prompt: String?, split: String?, k: Int, problems count: Int, seed: UInt64) -> ToolReport {
    let root = URL(fileURLWithPath: directory)
    let recipePath = root.appendingPathComponent(RunRecorder.marker).path
    guard FileManager.default.fileExists(atPath: recipePath) else {
      return ToolReport(messages: "error: \(directory) is not a run directory (no \(RunRecorder.marker))\n", exitCode: 2)
    }
    let resolved: ResolvedRecipe
    switch RunRecipe.load(recipePath) {
    case .stopped(let report): return report
    case .loaded(let recipe, _): resolved = recipe
    }
    do {
      let policy = try SampledPolicy(resolved, directory: directory)
      var rng = Philox(seed: seed)
      if let prompt {
        let problem = TaskProblem(prompt: prompt, answer: nil, data: [])
        let greedy = try policy.completions(for: [problem], settings: .init(greedy: true), rng: nil)
        let samples = k > 1 ? try policy.completions(for: Array(repeating: problem, count: k - 1), settings: policy.sampling, rng: rng) : []
        var out = policy.header + "greedy:  \(prompt)\(greedy[0])\n"
        for (i, text) in samples.enumerated() { out += "sample \(i + 1): \(prompt)\(text)\n" }
        return ToolReport(output: out, exitCode: 0)
      }
      guard let task = policy.task else {
        throw RunRecorder.Failure(description: "\(directory) is a preference run on a data file (task.preference_jsonl): it has no verifier to score a split's answers; use --prompt TEXT")
      }
      let problems: [TaskProblem]
      if split == "heldout" {
        problems = task.heldOut
      } else {
        var draw = Philox(seed: seed).fork(stream: 9)
        problems = (0..<count).map { _ in task.trainingProblem(rng: &draw) }
      }
      let greedy = try policy.completions(for: problems, settings: .init(greedy: true), rng: nil)
      let greedyCorrect = zip(problems, greedy).filter { task.score($0.1, for: $0.0).correct }.count
      var passed = [Bool](repeating: false, count: problems.count)
      for _ in 0..<k {
        let answers = try policy.completions(for: problems, settings: policy.sampling, rng: rng)
        rng = rng.fork(stream: rng.next64())
        for (i, answer) in answers.enumerated() where task.score(answer, for: problems[i]).correct { passed[i] = true }
      }
      let n = Double(max(problems.count, 1))
      var out = policy.header
      out += String(format: "%@ split: %d problems\n", split ?? "", problems.count)
      out += String(format: "greedy accuracy: %.1f%%\n", Double(greedyCorrect) / n * 100)
      out += String(format: "pass@%d: %.1f%% (temperature %g)\n", k, Double(passed.filter { $0 }.count) / n * 100, policy.temperature)
      for (problem, answer) in zip(problems, greedy).prefix(5) {
        out += "  \(problem.prompt)\(answer)   \(task.score(answer, for: problem).correct ? "✓" : "✗")\n"
      }
      return ToolReport(output: out, exitCode: 0)
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: 1)
    }
  }
}
