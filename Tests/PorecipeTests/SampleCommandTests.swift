import Core
import Foundation
import Recipe
import Runtime
import Testing
import TestSupport

@testable import porecipe

/// `porecipe sample` on preference runs (offline pairs from a task, online pairs, a data
/// file) and its refusals; token runs are sampled in `TokenRunTests`.
@Suite struct SampleCommandTests {
  static func sample(_ run: URL, prompt: String? = nil, split: String? = nil, k: Int) -> ToolReport {
    SampleSession.run(directory: run.path, prompt: prompt, split: split, k: k, problems: 8, seed: 1)
  }

  /// The directory of a run of the recipe at `path` with `overrides` (and `PreferenceRunTests.tiny`).
  static func train(_ path: String, _ overrides: [String], in temporary: TemporaryDirectory) throws -> URL {
    let out = temporary.url.appendingPathComponent("run")
    let report = PreferenceRunTests.run(path, overrides, out: out)
    try #require(report.exitCode == 0, "\(report.messages)")
    return out
  }

  static func recipe(_ name: String) -> String { PreferenceRunTests.recipes.appendingPathComponent("\(name).yaml").path }

  func summary(_ run: URL) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any])
  }

  /// `greedy accuracy: …` as `sample` prints the run's final held-out accuracy (the same
  /// greedy answers on the same problems).
  func greedyLine(_ run: URL) throws -> String {
    String(format: "greedy accuracy: %.1f%%\n", try #require(try summary(run)["final_eval_accuracy"] as? Double) * 100)
  }

  @Test("a dpo run on pairs from the arithmetic task: the checkpoint's policy (not its reference), pass@k on the task's held-out split, completions of a prompt")
  func offline() throws {
    let temporary = try TemporaryDirectory()
    // 15 warm-start steps at a high rate leave a few 2-digit sums right, enough for 4 pairs.
    let out = try Self.train(Self.recipe("dpo"), ["policy.warm_start.sft.max_steps=15", "policy.warm_start.sft.lr=0.01",
                                                  "task.preference.pairs=4", "train.iterations=2", "train.minibatches=1"], in: temporary)

    guard case .loaded(let resolved, _) = RunRecipe.load(out.appendingPathComponent(RunRecorder.marker).path) else {
      Issue.record("the run's recipe.resolved.yaml does not load")
      return
    }
    let policy = try SampledPolicy(resolved, directory: out.path)
    let checkpoint = try PreferenceTrainerCheckpoint.read(from: out.appendingPathComponent("checkpoints/2"))
    func byName(_ tensors: [(name: String, tensor: Tensor)]) -> [String: [Float]] {
      Dictionary(tensors.map { ($0.name, $0.tensor.scalars) }, uniquingKeysWith: { first, _ in first })
    }
    let loaded = byName(policy.parameters.named)
    let (isModel, isReference) = (loaded == byName(checkpoint.parameters), loaded == byName(checkpoint.reference))
    #expect(isModel && !isReference, "the sampled weights are not the checkpoint's model.safetensors")
    #expect(policy.task?.name == "arithmetic" && policy.temperature == 1)

    let split = Self.sample(out, split: "heldout", k: 4)
    #expect(split.exitCode == 0, "\(split.messages)")
    let heldOut = try #require(policy.task).heldOut.count
    #expect(split.output.hasPrefix("checkpoint after step 2 of dpo\nheldout split: \(heldOut) problems\n" + (try greedyLine(out))
      + "pass@4: "), "\(split.output)")
    #expect(split.output.contains("% (temperature 1)\n"))

    let prompt = Self.sample(out, prompt: "3+4=", k: 3)
    #expect(prompt.exitCode == 0, "\(prompt.messages)")
    let lines = prompt.output.split(separator: "\n")
    #expect(lines.count == 4 && lines[0] == "checkpoint after step 2 of dpo" && lines[1].hasPrefix("greedy:  3+4=")
      && lines[2].hasPrefix("sample 1: 3+4=") && lines[3].hasPrefix("sample 2: 3+4="), "\(prompt.output)")
  }

  @Test("an online_dpo run samples its token task's held-out split")
  func online() throws {
    let temporary = try TemporaryDirectory()
    let out = try Self.train(Self.recipe("online_dpo"), ["task.arithmetic.digits=1", "rollout.prompts=4", "rollout.group=4",
                                                         "train.iterations=3", "train.eval_every=3"], in: temporary)
    let split = Self.sample(out, split: "heldout", k: 2)
    #expect(split.exitCode == 0, "\(split.messages)")
    let heldOut = try ArithmeticTask(digits: 1, operations: ["+"]).heldOut.count
    #expect(split.output.hasPrefix("checkpoint after step 3 of online_dpo\nheldout split: \(heldOut) problems\n" + (try greedyLine(out))),
            "\(split.output)")
  }

  @Test("a preference run on a data file records its path absolute, completes a prompt and refuses --split: it has no verifier")
  func dataFile() throws {
    let temporary = try TemporaryDirectory()
    let out = try Self.train(try PreferenceRunTests.fileRecipe("dpo", in: temporary.url), ["train.iterations=2", "train.minibatches=1"],
                             in: temporary)
    let resolved = try String(contentsOf: out.appendingPathComponent(RunRecorder.marker), encoding: .utf8)
    #expect(resolved.contains("path: \"\(temporary.url.appendingPathComponent("pairs.jsonl").path)\""), "\(resolved)")
    let prompt = Self.sample(out, prompt: "3+4=", k: 2)
    #expect(prompt.exitCode == 0, "\(prompt.messages)")
    let lines = prompt.output.split(separator: "\n")
    #expect(lines.count == 3 && lines[0] == "checkpoint after step 2 of dpo_file" && lines[1].hasPrefix("greedy:  3+4=")
      && lines[2].hasPrefix("sample 1: 3+4="), "\(prompt.output)")
    let split = Self.sample(out, split: "heldout", k: 2)
    #expect(split.exitCode == 1)
    #expect(split.output == "")
    #expect(split.messages == "error: \(out.path) is a preference run on a data file (task.preference_jsonl): it has no verifier to score a split's answers; use --prompt TEXT\n")
  }

  @Test("a run on an environment task is refused by name")
  func environment() throws {
    let temporary = try TemporaryDirectory()
    let ppo = try String(contentsOfFile: Self.recipe("ppo"), encoding: .utf8)
    try ppo.write(to: temporary.url.appendingPathComponent(RunRecorder.marker), atomically: true, encoding: .utf8)
    let report = Self.sample(temporary.url, prompt: "3+4=", k: 1)
    #expect(report.exitCode == 1)
    #expect(report.messages == "error: \(temporary.url.path) is a run on the environment task 'cartpole'; 'sample' reads runs on token tasks and preference runs\n")
  }
}
