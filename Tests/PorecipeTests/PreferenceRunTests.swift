import Foundation
import Recipe
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run` on the preference recipes, shrunk to a tiny transformer: every recipe
/// trains a few steps with its margin rising, writes the metrics keys, and bad set-ups stop
/// with a diagnostic before training.
@Suite struct PreferenceRunTests {
  static let recipes = TokenRunTests.recipes
  static let tiny = [
    "policy.transformer.layers=1", "policy.transformer.width=32", "policy.transformer.heads=2", "policy.transformer.context=24",
    "policy.warm_start.sft.until_accuracy=0.3", "policy.warm_start.sft.max_steps=10", "rollout.max_tokens=6", "train.seed=5",
    "optimizer.adamw.lr=0.01",
  ]
  static let pairs = (0..<12).map { i in
    "{\"prompt\": \"\(i)+\(i + 3)=\", \"chosen\": \"\(2 * i + 3)\", \"rejected\": \"\(2 * i + 4)\"}"
  }.joined(separator: "\n")

  /// A recipe extending `recipe` that trains on a 12-pair data file instead.
  static func fileRecipe(_ recipe: String, in directory: URL) throws -> String {
    try pairs.write(to: directory.appendingPathComponent("pairs.jsonl"), atomically: true, encoding: .utf8)
    let path = directory.appendingPathComponent("\(recipe)_file.yaml")
    try """
      recipe: \(recipe)_file
      extends: \(recipes.appendingPathComponent("\(recipe).yaml").path)
      task:
        preference_jsonl: {path: pairs.jsonl}
      """.write(to: path, atomically: true, encoding: .utf8)
    return path.path
  }

  static func run(_ path: String, _ overrides: [String], out: URL?, resume: URL? = nil, checkpointEvery: Int = 100) -> ToolReport {
    RunSession.run(recipe: path, overrides: tiny + overrides, out: out?.path, resume: resume?.path, quiet: true, terminal: false,
                   checkpointEvery: checkpointEvery, cache: nil)
  }

  func lines(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  static let always: Set = ["iteration", "pairs", "wall_s", "loss", "chosen_reward", "rejected_reward", "margin", "reward_accuracy"]

  @Test("each pairwise and unpaired recipe trains on a data file: the metrics keys every step, held-out reward accuracy at the end, the margin rising",
        arguments: ["dpo", "cdpo", "rdpo", "ipo", "slic", "simpo", "orpo", "kto", "rso"])
  func fileRecipes(recipe: String) throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = Self.run(try Self.fileRecipe(recipe, in: temporary.url), ["train.iterations=6", "train.minibatches=1"], out: out)
    #expect(report.exitCode == 0, "\(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 6)
    for (i, line) in metrics.enumerated() {
      #expect(Self.always.isSubset(of: Set(line.keys)), "\(Self.always.subtracting(line.keys))")
      #expect(line["iteration"] as? Int == i + 1)
      #expect(line["eval_accuracy"] == nil)  // no task, no task accuracy
      for (key, value) in line { if let x = value as? Double { #expect(x.isFinite, "\(key)") } }
    }
    #expect(metrics.last?["heldout_reward_accuracy"] != nil && metrics.last?["heldout_margin"] != nil)
    let first = try #require(metrics.first?["margin"] as? Double), last = try #require(metrics.last?["margin"] as? Double)
    #expect(last > first, "margin \(first) → \(last)")
    let summary = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
    // 12 pairs, one held out (10%); KTO trains the 24 answers, two held out.
    #expect(summary["pairs"] as? Int == 6 * (recipe == "kto" ? 22 : 11))
    for key in ["warm_start_heldout_reward_accuracy", "warm_start_heldout_margin", "final_heldout_margin"] { #expect(summary[key] != nil, "\(key)") }
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("checkpoints/6/model.safetensors").path))
  }

  @Test("lipo and pro build ranked lists from the sorting task's partial credit and train", arguments: ["lipo", "pro"])
  func listRecipes(recipe: String) throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = Self.run(Self.recipes.appendingPathComponent("\(recipe).yaml").path,
                          ["task.preference.pairs=16", "train.iterations=4", "train.minibatches=2", "train.eval_every=2",
                           "rollout.max_tokens=8"], out: out)
    #expect(report.exitCode == 0, "\(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 4)
    for line in metrics { #expect(Self.always.isSubset(of: Set(line.keys))) }
    #expect(metrics[1]["eval_accuracy"] != nil && metrics[3]["eval_accuracy"] != nil && metrics[0]["eval_accuracy"] == nil)
    let summary = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("summary.json"))) as? [String: Any])
    for key in ["warm_start_eval_accuracy", "final_eval_accuracy", "pairs", "wall_s"] { #expect(summary[key] != nil, "\(key)") }
  }

  @Test("online_dpo samples group rollouts every iteration and reports task accuracy")
  func online() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = Self.run(Self.recipes.appendingPathComponent("online_dpo.yaml").path,
                          ["task.arithmetic.digits=1", "rollout.prompts=4", "rollout.group=4", "train.iterations=3", "train.eval_every=3",
                           "rollout.pairs=all"], out: out)
    #expect(report.exitCode == 0, "\(report.messages)")
    let metrics = try lines(out.appendingPathComponent("metrics.jsonl"))
    #expect(metrics.count == 3)
    for line in metrics { #expect(Self.always.isSubset(of: Set(line.keys)) && line["sample_accuracy"] != nil) }
    #expect(metrics.last?["eval_accuracy"] != nil)
  }

  @Test("a preference dataset no prompt can pair stops with a diagnostic; a policy-gradient slot beside a preference loss is refused")
  func refusals() throws {
    let temporary = try TemporaryDirectory()
    // Ten warm-start steps leave 2-digit sums always wrong: no correct answer to pair.
    let noPairs = Self.run(Self.recipes.appendingPathComponent("dpo.yaml").path, ["task.preference.pairs=4", "policy.warm_start.sft.max_steps=1"],
                           out: temporary.url.appendingPathComponent("a"))
    #expect(noPairs.exitCode == 1)
    #expect(noPairs.messages.contains("no prompt"), "\(noPairs.messages)")
    let slot = Self.run(Self.recipes.appendingPathComponent("dpo.yaml").path, ["advantage.grpo.scale=group"],
                        out: temporary.url.appendingPathComponent("b"))
    #expect(slot.exitCode != 0)
    #expect((slot.messages + slot.output).contains("advantage"), "\(slot.messages + slot.output)")
    let resume = Self.run(Self.recipes.appendingPathComponent("dpo.yaml").path, [], out: nil, resume: temporary.url)
    #expect(resume.exitCode == 1 && resume.messages.contains("is not a run directory"), "\(resume.messages)")
  }

  @Test("preference runs read optimizer and schedule.lr.linear as token runs do; another schedule is refused with the token runs' message")
  func optimizerSettings() throws {
    func setup(_ overrides: [String]) throws -> Result<PreferenceRunSetup, RunSetup.Refusal> {
      guard case .loaded(let resolved, _) = RunRecipe.load(Self.recipes.appendingPathComponent("dpo.yaml").path, overrides: overrides) else {
        throw RunRecorder.Failure(description: "dpo.yaml with \(overrides) does not load")
      }
      return Result { () throws(RunSetup.Refusal) in try PreferenceRunSetup(resolved) }
    }
    // dpo.yaml: adamw {lr: 1.0e-4, weight_decay: 0.0}.
    let constant = try setup(["optimizer.adamw={lr: 0.001, weight_decay: 0.0, betas: [0.8, 0.9], eps: 1.0e-6, grad_clip: 1.0}"]).get().configuration
    #expect(constant.learningRate == 0.001 && constant.adamBeta1 == 0.8 && constant.adamBeta2 == 0.9 && constant.adamEps == 1e-6)
    #expect(constant.gradClip == 1 && constant.weightDecay == 0 && constant.annealTo == nil)
    #expect(try setup(["schedule={lr: {linear: {to: 0.0}}}"]).get().configuration.annealTo == 0)
    // What the setup cannot read, check refuses at its line.
    for (overrides, message) in [(["schedule={lr: {linear: {to: 0.0, warmup: 2}}}"], "error: schedule.lr.linear.warmup '2' is not implemented in preference runs yet"),
                                 (["schedule={lr: {cosine: {to: 0.0}}}"], "error: schedule 'cosine' is not implemented in preference runs yet")] {
      guard case .stopped(let report) = RunRecipe.load(Self.recipes.appendingPathComponent("dpo.yaml").path, overrides: overrides) else {
        Issue.record("\(overrides) was not refused"); continue
      }
      #expect(report.output.contains(message), "\(report.output)")
    }
  }

  /// The run's lines and summary without the keys that measure time.
  func timeless(_ run: URL) throws -> (lines: [NSDictionary], summary: NSDictionary) {
    let summary = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: run.appendingPathComponent("summary.json"))) as? [String: Any])
    return (try lines(run.appendingPathComponent("metrics.jsonl")).map { NSDictionary(dictionary: $0.filter { $0.key != "wall_s" }) },
            NSDictionary(dictionary: summary.filter { $0.key != "wall_s" }))
  }

  @Test("a preference run killed after a checkpoint resumes to the uninterrupted run's metrics, summary and weights; another seed is refused",
        arguments: [
          ("dpo", ["train.iterations=6", "train.minibatches=3"]),
          ("online_dpo", ["task.arithmetic.digits=1", "rollout.prompts=4", "rollout.group=4", "train.iterations=6", "train.eval_every=3"]),
          ("lipo", ["task.preference.pairs=16", "train.iterations=6", "train.minibatches=3", "train.eval_every=3", "rollout.max_tokens=8"]),
        ])
  func resume(recipe: String, overrides: [String]) throws {
    let temporary = try TemporaryDirectory()
    // dpo trains on a data file (offline pairs); lipo on lists sampled from its warm start.
    let path = recipe == "dpo" ? try Self.fileRecipe(recipe, in: temporary.url) : Self.recipes.appendingPathComponent("\(recipe).yaml").path
    let whole = temporary.url.appendingPathComponent("whole"), killed = temporary.url.appendingPathComponent("killed")
    for out in [whole, killed] {
      let report = Self.run(path, overrides, out: out, checkpointEvery: 4)
      #expect(report.exitCode == 0, "\(report.messages)")
    }
    let checkpoints = killed.appendingPathComponent("checkpoints")
    #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.path).sorted() == ["4", "6"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: checkpoints.appendingPathComponent("6").path).sorted()
      == ["examples.json", "model.safetensors", "optimizer.safetensors", "reference.safetensors", "state.json"])
    // As if killed during step 6: its checkpoint never written, its line cut.
    try FileManager.default.removeItem(at: checkpoints.appendingPathComponent("6"))
    let metricsURL = killed.appendingPathComponent("metrics.jsonl")
    var text = try String(contentsOf: metricsURL, encoding: .utf8).split(separator: "\n").dropLast().joined(separator: "\n")
    text += "\n{\"iteration\":6,\"pai"
    try text.write(to: metricsURL, atomically: true, encoding: .utf8)

    let other = Self.run(path, overrides + ["train.seed=9"], out: nil, resume: killed, checkpointEvery: 4)
    #expect(other.exitCode == 1 && other.messages.contains("belongs to another recipe"), "\(other.messages)")
    let resumed = Self.run(path, overrides, out: nil, resume: killed, checkpointEvery: 4)
    #expect(resumed.exitCode == 0, "\(resumed.messages)")
    let (expected, got) = (try timeless(whole), try timeless(killed))
    #expect(got.lines == expected.lines)
    #expect(got.summary == expected.summary)
    let weights = "checkpoints/6/model.safetensors"
    #expect(try Data(contentsOf: killed.appendingPathComponent(weights)) == Data(contentsOf: whole.appendingPathComponent(weights)))
  }
}
