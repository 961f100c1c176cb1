import Foundation
import Recipe
import Runtime
import Core
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run` on token tasks: the run directory, resume, filters and the errors that
/// stop a run before any work — on a tiny transformer so each run takes a second.
@Suite struct TokenRunTests {
  static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("recipes")
  /// grpo.yaml shrunk: 1-digit sums, a 1-layer width-32 transformer, 4 prompts × 4, 4 iterations.
  static let tiny = [
    "task.arithmetic.digits=1", "policy.transformer.layers=1", "policy.transformer.width=32", "policy.transformer.heads=2",
    "policy.transformer.context=16", "policy.warm_start.sft.until_accuracy=0.3", "policy.warm_start.sft.max_steps=10",
    "rollout.prompts=4", "rollout.group=4", "rollout.max_tokens=4", "train.iterations=4", "train.eval_every=2", "train.seed=5",
  ]

  static func run(_ recipe: String, _ overrides: [String] = [], out: URL?, resume: URL? = nil, checkpointEvery: Int = 100) -> ToolReport {
    RunSession.run(recipe: recipes.appendingPathComponent("\(recipe).yaml").path, overrides: tiny + overrides, out: out?.path,
                   resume: resume?.path, quiet: true, terminal: false, checkpointEvery: checkpointEvery, cache: nil)
  }

  func lines(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  func object(_ url: URL) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  /// The lines without the keys that measure time.
  func timeless(_ lines: [[String: Any]]) -> [NSDictionary] {
    lines.map { NSDictionary(dictionary: $0.filter { !["wall_s", "tokens_per_s"].contains($0.key) }) }
  }

  @Test("grpo on a token task writes the issue's metrics keys every iteration and the accuracies in summary.json")
  func files() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = Self.run("grpo", out: out)
    #expect(report.exitCode == 0, "\(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 4)
    let always: Set = ["iteration", "samples", "wall_s", "reward_mean", "reward_verifier", "accuracy", "response_length_mean", "entropy",
                       "kl_ref", "clip_frac_low", "clip_frac_high", "filtered_frac", "tokens_per_s", "loss", "pg_loss", "kl", "lr"]
    for (i, line) in metrics.enumerated() {
      #expect(always.isSubset(of: Set(line.keys)), "\(Set(always).subtracting(line.keys))")
      #expect(line["iteration"] as? Int == i + 1)
      #expect(line["samples"] as? Int == 16 * (i + 1))
      #expect((line["eval_accuracy"] != nil) == ((i + 1) % 2 == 0))
      #expect(line["filtered_frac"] as? Double == 0)
      for (key, value) in line { if let x = value as? Double { #expect(x.isFinite, "\(key)") } }
    }
    let summary = try object(out.appendingPathComponent("summary.json"))
    for key in ["warm_start_eval_accuracy", "final_eval_accuracy", "wall_s", "warm_start_steps", "iterations", "samples"] {
      #expect(summary[key] != nil, "\(key)")
    }
    #expect(summary["final_eval_accuracy"] as? Double == metrics.last?["eval_accuracy"] as? Double)
  }

  @Test("the same seed gives the same numbers; a token run killed after a checkpoint resumes to the uninterrupted run's numbers")
  func resume() throws {
    let temporary = try TemporaryDirectory()
    let whole = temporary.url.appendingPathComponent("whole"), again = temporary.url.appendingPathComponent("again"),
        killed = temporary.url.appendingPathComponent("killed")
    for out in [whole, again, killed] { #expect(Self.run("grpo", out: out, checkpointEvery: 2).exitCode == 0) }
    let expected = try lines(whole.appendingPathComponent("metrics.jsonl"))
    #expect(timeless(try lines(again.appendingPathComponent("metrics.jsonl"))) == timeless(expected))

    let checkpoints = killed.appendingPathComponent("checkpoints")
    #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).sorted() == ["2", "4"])
    try FileManager.default.removeItem(at: checkpoints.appendingPathComponent("4"))
    let metricsURL = killed.appendingPathComponent("metrics.jsonl")
    let handle = try FileHandle(forWritingTo: metricsURL)
    try handle.seekToEnd()
    handle.write(Data("{\"iteration\":5,\"sam".utf8))
    try handle.close()

    let other = Self.run("grpo", ["train.seed=9"], out: nil, resume: killed, checkpointEvery: 2)
    #expect(other.exitCode == 1)
    #expect(other.messages.contains("another recipe"), "\(other.messages)")
    let resumed = Self.run("grpo", out: nil, resume: killed, checkpointEvery: 2)
    #expect(resumed.exitCode == 0, "\(resumed.messages)")
    #expect(timeless(try lines(metricsURL)) == timeless(expected))
  }

  @Test("dynamic sampling, CPPO pruning, a value head with GAE, and ReMax's greedy baseline all run", arguments: [
    ("dapo", ["reward.overlong.max=4", "reward.overlong.cache=2"] as [String]), ("cppo", []), ("ppo_token", []), ("remax", ["rollout.prompts=16", "rollout.group=1"]),
    ("dr_grpo", []), ("gspo", []), ("rloo", []), ("reinforce_pp", ["rollout.prompts=16", "rollout.group=1"]), ("cispo", []), ("hapo", []),
  ])
  func family(recipe: String, overrides: [String]) throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent(recipe)
    let report = Self.run(recipe, overrides, out: out)
    #expect(report.exitCode == 0, "\(recipe): \(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 4)
    if recipe == "cppo" { #expect(metrics.allSatisfy { ($0["filtered_frac"] as? Double) == 0.5 }) }
    if recipe == "ppo_token" { #expect(metrics.allSatisfy { $0["value_loss"] != nil }) }
  }

  @Test("settings the token trainer cannot run stop before any work with the reason")
  func refusals() throws {
    let temporary = try TemporaryDirectory()
    let cases: [([String], String)] = [
      (["rollout.max_tokens=20"], "context"),
      (["train.minibatches=3"], "must divide"),
      (["objective.ratio={mode: token, proximal: ewma}"], "ewma"),
      (["policy.transformer.dropout=0.1"], "dropout"),
    ]
    Self.expectRefusals(cases, in: temporary.url)
  }

  /// Each case's run of grpo (the overrides) exits 1 with a message containing the text and
  /// leaves no run directory.
  static func expectRefusals(_ cases: [([String], String)], in directory: URL) {
    for (overrides, message) in cases {
      let out = directory.appendingPathComponent("refused")
      let report = run("grpo", overrides, out: out)
      #expect(report.exitCode == 1)
      #expect((report.messages + report.output).contains(message), "\(overrides): \(report.messages)\(report.output)")
      #expect(!FileManager.default.fileExists(atPath: out.path), "\(overrides) left a directory")
    }
  }

  @Test("porecipe sample prints greedy and sampled completions and pass@k from a token run")
  func sample() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    #expect(Self.run("grpo", out: out).exitCode == 0)
    let prompt = SampleSession.run(directory: out.path, prompt: "3+4=", split: nil, k: 3, problems: 8, seed: 1)
    #expect(prompt.exitCode == 0, "\(prompt.messages)")
    #expect(prompt.output.contains("greedy:  3+4="))
    #expect(prompt.output.contains("sample 2: 3+4="))
    let split = SampleSession.run(directory: out.path, prompt: nil, split: "heldout", k: 4, problems: 8, seed: 1)
    #expect(split.exitCode == 0, "\(split.messages)")
    #expect(split.output.contains("pass@4:"))
    let missing = SampleSession.run(directory: temporary.url.path, prompt: "1+1=", split: nil, k: 1, problems: 8, seed: 1)
    #expect(missing.exitCode == 2)
  }

  @Test("a run on a jsonl task named by a relative path records it absolute; porecipe sample finds it from the run directory and starts no reward command")
  func relativeDataFile() throws {
    let temporary = try TemporaryDirectory()
    let sums = (0..<40).map { i in "{\"prompt\": \"\(i / 8)+\(i % 8)=\", \"answer\": \"\(i / 8 + i % 8)\"}" }
    try sums.joined(separator: "\n").write(to: temporary.url.appendingPathComponent("sums.jsonl"), atomically: true, encoding: .utf8)
    // A reward command named relative to the recipe's directory too: sample does not start it.
    let score = """
      import json, sys
      for line in sys.stdin:
          request = json.loads(line)
          print(json.dumps({"id": request["id"], "reward": float(request["completion"] == request["answer"])}), flush=True)
      """
    try score.write(to: temporary.url.appendingPathComponent("score.py"), atomically: true, encoding: .utf8)
    let recipe = temporary.url.appendingPathComponent("sums.yaml")
    try """
      recipe: sums
      extends: \(Self.recipes.appendingPathComponent("grpo.yaml").path)
      task:
        jsonl: {path: sums.jsonl}
      reward:
        command: {argv: [python3, score.py]}
      """.write(to: recipe, atomically: true, encoding: .utf8)
    let out = temporary.url.appendingPathComponent("run")
    let report = RunSession.run(recipe: recipe.path, overrides: Array(Self.tiny.dropFirst()), out: out.path, resume: nil, quiet: true,
                                terminal: false, checkpointEvery: 100, cache: nil)
    try #require(report.exitCode == 0, "\(report.messages)")

    let resolved = try String(contentsOf: out.appendingPathComponent(RunRecorder.marker), encoding: .utf8)
    let absolute = temporary.url.appendingPathComponent("sums.jsonl").path
    #expect(resolved.contains("path: \"\(absolute)\""), "\(resolved)")
    let split = SampleSession.run(directory: out.path, prompt: nil, split: "heldout", k: 2, problems: 8, seed: 1)
    #expect(split.exitCode == 0, "\(split.messages)")
    #expect(split.output.hasPrefix("checkpoint after iteration 4 of sums\nheldout split: 4 problems\n"), "\(split.output)")
    let prompt = SampleSession.run(directory: out.path, prompt: "3+4=", split: nil, k: 2, problems: 8, seed: 1)
    #expect(prompt.exitCode == 0, "\(prompt.messages)")
    #expect(prompt.output.contains("greedy:  3+4="), "\(prompt.output)")
  }
}

/// `filter.replay` on a token run and its buffer.
@Suite struct TokenReplayTests {
  @Test("replay puts stored responses of a prompt into its group, with their old log-probs, and resumes exactly")
  func replayRuns() throws {
    let temporary = try TemporaryDirectory()
    // 1-digit sums have 100 problems, so prompts repeat and per-prompt buffers fill.
    let replay = ["filter.replay={capacity: 4, off_samples: 2, strategy: success}", "train.iterations=6"]
    let whole = temporary.url.appendingPathComponent("whole"), killed = temporary.url.appendingPathComponent("killed")
    for out in [whole, killed] { #expect(TokenRunTests.run("grpo", replay, out: out, checkpointEvery: 3).exitCode == 0) }
    let lines = try String(contentsOf: whole.appendingPathComponent("metrics.jsonl"), encoding: .utf8).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
    let fractions = lines.compactMap { $0["replayed_frac"] as? Double }
    #expect(fractions.count == 6)
    #expect(fractions.first == 0)
    #expect(fractions.contains { $0 > 0 }, "\(fractions)")
    #expect(fractions.allSatisfy { $0 <= 0.5 })
    try FileManager.default.removeItem(at: killed.appendingPathComponent("checkpoints/6"))
    #expect(TokenRunTests.run("grpo", replay, out: nil, resume: killed, checkpointEvery: 3).exitCode == 0)
    func timeless(_ url: URL) throws -> [NSDictionary] {
      try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
        NSDictionary(dictionary: try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
          .filter { !["wall_s", "tokens_per_s"].contains($0.key) })
      }
    }
    #expect(try timeless(killed.appendingPathComponent("metrics.jsonl")) == timeless(whole.appendingPathComponent("metrics.jsonl")))
  }

  @Test("the buffer keeps capacity per prompt or in all, evicts the oldest, and draws by strategy")
  func buffer() {
    var rng = Philox(seed: 1)
    var perPrompt = ReplayBuffer(capacity: 2, perPrompt: true, strategy: .reward)
    for (i, reward) in [0.2, 0.9, 0.5].enumerated() {
      perPrompt.add(prompt: "a", response: [Int32(i)], completion: "\(i)", reward: reward, terms: [:], correct: reward > 0.8, logp: [-1])
    }
    perPrompt.add(prompt: "b", response: [9], completion: "9", reward: 0, terms: [:], correct: false, logp: [-2])
    #expect(perPrompt.entries["a"]?.map(\.completion) == ["1", "2"])
    #expect(perPrompt.draw(prompt: "a", count: 1, rng: &rng).map(\.completion) == ["1"])
    #expect(perPrompt.draw(prompt: "c", count: 1, rng: &rng).isEmpty)
    var shared = ReplayBuffer(capacity: 2, perPrompt: false, strategy: .recent)
    shared.add(prompt: "a", response: [1], completion: "1", reward: 0, terms: [:], correct: false, logp: [])
    shared.add(prompt: "b", response: [2], completion: "2", reward: 0, terms: [:], correct: false, logp: [])
    shared.add(prompt: "a", response: [3], completion: "3", reward: 0, terms: [:], correct: false, logp: [])
    #expect(shared.entries["a"]?.map(\.completion) == ["3"])
    #expect(shared.draw(prompt: "b", count: 5, rng: &rng).map(\.completion) == ["2"])
  }
}
