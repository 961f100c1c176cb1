import Foundation
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run`: the run directory's files and the errors that stop a run before any work.
@Suite struct RunCommandTests {
  static let recipe = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("recipes/ppo.yaml").path
  /// ppo.yaml shrunk to 4 iterations of 4 × 32 steps.
  static let small = ["rollout.steps=32", "train.total_steps=512", "train.seed=3"]

  func lines(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  @Test("a short run writes recipe.resolved.yaml, one metrics object per iteration and summary.json")
  func files() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: out.path, quiet: true, terminal: false)
    #expect(report.exitCode == 0, "\(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 4)
    let keys: Set = ["iteration", "env_steps", "wall_s", "episode_return_mean", "episode_length_mean", "pg_loss", "value_loss",
                     "entropy", "approx_kl", "clip_frac", "lr", "sps"]
    for (i, line) in metrics.enumerated() {
      #expect(Set(line.keys) == keys)
      #expect(line["iteration"] as? Int == i + 1)
      #expect(line["env_steps"] as? Int == 128 * (i + 1))
    }
    let summaryData = try Data(contentsOf: out.appendingPathComponent("summary.json"))
    let summary = try #require(JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
    #expect(Set(summary.keys) == ["final_episode_return_mean", "best_episode_return_mean", "env_steps", "wall_s", "sps"])
    #expect(summary["env_steps"] as? Int == 512)
    let resolved = try String(contentsOf: out.appendingPathComponent("recipe.resolved.yaml"), encoding: .utf8)
    #expect(resolved.contains("  clip:\n    low: 0.2"))
    #expect(report.output == String(data: summaryData, encoding: .utf8))
  }

  @Test("the same seed gives the same metrics, wall-clock keys aside")
  func reproducible() throws {
    let temporary = try TemporaryDirectory()
    var runs: [[[String: Any]]] = []
    for name in ["a", "b"] {
      let out = temporary.url.appendingPathComponent(name)
      _ = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: out.path, quiet: true, terminal: false)
      runs.append(try lines(out.appendingPathComponent("metrics.jsonl")).map { $0.filter { !["wall_s", "sps"].contains($0.key) } })
    }
    #expect(runs[0].count == 4)
    #expect(runs[0].map { NSDictionary(dictionary: $0) } == runs[1].map { NSDictionary(dictionary: $0) })
  }

  @Test("errors before any work: a recipe with errors, an --out that is not a run directory, a policy that cannot serve the task, a Gaussian setting on discrete actions")
  func badInput() throws {
    let temporary = try TemporaryDirectory()
    let broken = RunSession.run(recipe: Self.recipe, overrides: ["objective.clip.lo=0.2"], out: temporary.url.appendingPathComponent("x").path,
                                quiet: true, terminal: false)
    #expect(broken.exitCode == 1)
    #expect(broken.output.contains("objective.clip.lo"))
    #expect(!FileManager.default.fileExists(atPath: temporary.url.appendingPathComponent("x").path))

    let occupied = temporary.url.appendingPathComponent("occupied")
    try FileManager.default.createDirectory(at: occupied, withIntermediateDirectories: true)
    try Data("keep".utf8).write(to: occupied.appendingPathComponent("notes.txt"))
    let refused = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: occupied.path, quiet: true, terminal: false)
    #expect(refused.exitCode == 1)
    #expect(refused.messages.contains("is not a run directory"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: occupied.path) == ["notes.txt"])

    let transformer = try temporary.write("t.yaml", """
      recipe: t
      task: {cartpole: {}}
      policy: {transformer: {}}
      rollout: {envs: 4, steps: 32}
      advantage: {gae: {gamma: 0.99, lambda: 0.95}}
      objective: {clip: {low: 0.2}, value: {coef: 0.5}}
      optimizer: {adam: {lr: 2.5e-4}}
      train: {total_steps: 512}
      """)
    let unserved = RunSession.run(recipe: transformer, overrides: [], out: temporary.url.appendingPathComponent("t").path, quiet: true, terminal: false)
    #expect(unserved.exitCode == 1)
    #expect(unserved.output.contains("error: policy 'transformer' is not implemented in environment runs yet"), "\(unserved.messages)\(unserved.output)")

    let gaussian = temporary.url.appendingPathComponent("g")
    let categorical = RunSession.run(recipe: Self.recipe, overrides: Self.small + ["policy.mlp.log_std_init=-0.5"], out: gaussian.path,
                                     quiet: true, terminal: false)
    #expect(categorical.exitCode == 1)
    #expect(categorical.output.contains("error: policy.mlp.log_std_init sets a Gaussian head, but 'cartpole' has discrete actions"),
            "\(categorical.messages)\(categorical.output)")
    #expect(!FileManager.default.fileExists(atPath: gaussian.path))
  }

  @Test("a run killed after a checkpoint and resumed gives the uninterrupted run's numbers; another recipe's resume is refused")
  func resume() throws {
    let temporary = try TemporaryDirectory()
    func strip(_ lines: [[String: Any]]) -> [NSDictionary] {
      lines.map { NSDictionary(dictionary: $0.filter { !["wall_s", "sps"].contains($0.key) }) }
    }
    let whole = temporary.url.appendingPathComponent("whole"), killed = temporary.url.appendingPathComponent("killed")
    for out in [whole, killed] {
      let report = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: out.path, quiet: true, terminal: false, checkpointEvery: 2)
      #expect(report.exitCode == 0, "\(report.messages)")
    }
    // The kill: after checkpoint 2 and the metrics of iterations 3 and 4, halfway through a write.
    let checkpoints = killed.appendingPathComponent("checkpoints")
    #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).sorted() == ["2", "4"])
    try FileManager.default.removeItem(at: checkpoints.appendingPathComponent("4"))
    try FileManager.default.createDirectory(at: checkpoints.appendingPathComponent(".tmp-4"), withIntermediateDirectories: true)
    let metricsURL = killed.appendingPathComponent("metrics.jsonl")
    let handle = try FileHandle(forWritingTo: metricsURL)
    try handle.seekToEnd()
    handle.write(Data("{\"iteration\":5,\"env_st".utf8))
    try handle.close()
    try FileManager.default.removeItem(at: killed.appendingPathComponent("summary.json"))
    let before = try Data(contentsOf: metricsURL)

    let other = RunSession.run(recipe: Self.recipe, overrides: Self.small + ["train.seed=9"], out: nil, resume: killed.path, quiet: true,
                               terminal: false, checkpointEvery: 2)
    #expect(other.exitCode == 1)
    #expect(other.messages.contains("another recipe"), "\(other.messages)")
    #expect(try Data(contentsOf: metricsURL) == before)

    let resumed = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: nil, resume: killed.path, quiet: true, terminal: false,
                                 checkpointEvery: 2)
    #expect(resumed.exitCode == 0, "\(resumed.messages)")
    let expected = try lines(whole.appendingPathComponent("metrics.jsonl")), got = try lines(metricsURL)
    #expect(got.count == 4)
    #expect(strip(got) == strip(expected))
    let summaries = try [whole, killed].map { try #require(JSONSerialization.jsonObject(with: Data(contentsOf: $0.appendingPathComponent("summary.json"))) as? [String: Any]) }
    #expect(strip([summaries[1]]) == strip([summaries[0]]))
  }

  @Test("errors before any work: an --out that is a file, a --resume of no run directory or of a corrupt checkpoint")
  func badResume() throws {
    let temporary = try TemporaryDirectory()
    let file = try temporary.write("notes.txt", "keep")
    let onFile = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: file, quiet: true, terminal: false)
    #expect(onFile.exitCode == 1)
    #expect(onFile.messages.contains("exists and is not a directory"), "\(onFile.messages)")
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep")

    let empty = temporary.url.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let noRun = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: nil, resume: empty.path, quiet: true, terminal: false)
    #expect(noRun.exitCode == 1)
    #expect(noRun.messages.contains("is not a run directory"), "\(noRun.messages)")

    let run = temporary.url.appendingPathComponent("run")
    let first = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: run.path, quiet: true, terminal: false, checkpointEvery: 2)
    #expect(first.exitCode == 0, "\(first.messages)")
    let state = run.appendingPathComponent("checkpoints/4/state.json")
    try Data("{\"format\": 1, \"iter".utf8).write(to: state)
    let metrics = try Data(contentsOf: run.appendingPathComponent("metrics.jsonl"))
    let corrupt = RunSession.run(recipe: Self.recipe, overrides: Self.small, out: nil, resume: run.path, quiet: true, terminal: false,
                                 checkpointEvery: 2)
    #expect(corrupt.exitCode == 1)
    #expect(corrupt.messages.contains("cannot resume") && corrupt.messages.contains("state.json"), "\(corrupt.messages)")
    #expect(try Data(contentsOf: run.appendingPathComponent("metrics.jsonl")) == metrics)
  }

  @Test("an infinite loss stops the run with exit 1 naming the iteration, the term and its block's recipe line, after writing what it had")
  func nonFinite() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("inf")
    // Adam moves every parameter by ~lr on the first update: the critic's outputs reach ~1e31, their square overflows.
    let report = RunSession.run(recipe: Self.recipe, overrides: Self.small + ["optimizer.adam.lr=1e30"], out: out.path, quiet: true,
                                terminal: false)
    #expect(report.exitCode == 1)
    #expect(report.messages.hasPrefix("""
      \(Self.recipe):15:3: error: the run stopped: iteration 1: value_loss is not finite (inf) in objective.value
         |
      15 |   value: {loss: clipped, coef: 0.5, clip: 0.2}
         |   ^^^^^ value_loss comes from this block
         = note: what the run had is in \(out.relativePath)
         = note: set on the command line: rollout.steps = 32, optimizer.adam.lr = 1e+30, train.total_steps = 512, train.seed = 3
      """), "\(report.messages)")
    let summaryData = try Data(contentsOf: out.appendingPathComponent("summary.json"))
    let summary = try #require(JSONSerialization.jsonObject(with: summaryData) as? [String: Any])
    #expect((summary["error"] as? String)?.contains("value_loss") == true)
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("metrics.jsonl").path))
  }

  @Test("run parses the recipe, --set, --out and --quiet")
  func parse() throws {
    let command = try Run.parse(["recipes/ppo.yaml", "--set", "train.seed=2", "--out", "runs/x", "--quiet"])
    #expect(command.recipe == "recipes/ppo.yaml")
    #expect(command.options.overrides == ["train.seed=2"])
    #expect(command.out == "runs/x")
    #expect(command.quiet)
    #expect(try Run.parse(["recipes/ppo.yaml", "--resume", "runs/x"]).resume == "runs/x")
    #expect(throws: (any Error).self) { try Run.parse(["recipes/ppo.yaml", "--resume", "runs/x", "--out", "runs/y"]) }
  }
}
