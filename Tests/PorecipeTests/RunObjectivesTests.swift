import Foundation
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run` on recipes/a2c.yaml and recipes/ppo_penalty.yaml, and the objectives it refuses by name.
@Suite struct RunObjectivesTests {
  static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("recipes")
  static func recipe(_ name: String) -> String { recipes.appendingPathComponent("\(name).yaml").path }
  /// ppo's keys less `clip_frac`: these objectives clip nothing, and keys that do not apply are absent.
  static let keys: Set = ["iteration", "env_steps", "wall_s", "episode_return_mean", "episode_length_mean", "pg_loss", "value_loss",
                          "entropy", "approx_kl", "lr", "sps"]

  func lines(_ url: URL) throws -> [[String: Any]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// Runs a recipe twice with the same seed; returns the first run's metrics after checking
  /// the two agree bit for bit (wall-clock keys aside).
  func twice(_ name: String, overrides: [String]) throws -> [[String: Any]] {
    let temporary = try TemporaryDirectory()
    var runs: [[[String: Any]]] = []
    for run in ["a", "b"] {
      let out = temporary.url.appendingPathComponent(run)
      let report = RunSession.run(recipe: Self.recipe(name), overrides: overrides, out: out.path, quiet: true, terminal: false)
      #expect(report.exitCode == 0, "\(report.messages)\(report.output)")
      runs.append(try lines(out.appendingPathComponent("metrics.jsonl")))
    }
    let strip = { (lines: [[String: Any]]) in lines.map { NSDictionary(dictionary: $0.filter { !["wall_s", "sps"].contains($0.key) }) } }
    #expect(strip(runs[0]) == strip(runs[1]))
    return runs[0]
  }

  @Test("a2c.yaml: a short seeded run is reproducible; the metrics keys are ppo's but clip_frac")
  func a2c() throws {
    let metrics = try twice("a2c", overrides: ["train.total_steps=4000", "train.seed=2"])
    #expect(metrics.count == 100)
    #expect(metrics.allSatisfy { Set($0.keys) == Self.keys || Set($0.keys) == Self.keys.subtracting(["episode_return_mean", "episode_length_mean"]) })
    #expect(Set(metrics.last!.keys) == Self.keys)
    #expect(metrics.allSatisfy { abs($0["approx_kl"] as? Double ?? 1) < 1e-5 })
  }

  @Test("ppo_penalty.yaml: a short seeded run is reproducible; kl_coef is logged from beta_init")
  func ppoPenalty() throws {
    let metrics = try twice("ppo_penalty", overrides: ["rollout.steps=32", "train.total_steps=1024", "train.seed=3"])
    #expect(metrics.count == 8)
    for line in metrics { #expect(Set(line.keys) == Self.keys.union(["kl_coef"])) }
    #expect(metrics.first?["kl_coef"] as? Double == 1)
  }

  @Test("mdpo.yaml: a short seeded run is reproducible; kl_coef is logged, 1/t_k from 1 upwards; steps sets the epochs")
  func mdpo() throws {
    let metrics = try twice("mdpo", overrides: ["rollout.steps=32", "train.total_steps=1024", "train.seed=3"])
    #expect(metrics.count == 8)
    for line in metrics { #expect(Set(line.keys) == Self.keys.union(["kl_coef"])) }
    let weights = metrics.compactMap { $0["kl_coef"] as? Double }
    let schedule: [Double] = (0..<8).map { (k: Int) -> Double in 1 / (1 - Double(k) / 8) }
    #expect(weights == schedule)
  }

  @Test("trpo.yaml: a short seeded run is reproducible; each accepted step keeps the mean KL within max_kl")
  func trpo() throws {
    let metrics = try twice("trpo", overrides: ["rollout.steps=32", "train.total_steps=256", "train.epochs=2", "train.seed=3"])
    #expect(metrics.count == 4)
    for line in metrics { #expect(Set(line.keys).subtracting(["episode_return_mean", "episode_length_mean"]) == Self.keys.subtracting(["episode_return_mean", "episode_length_mean"])) }
    let kls = metrics.compactMap { $0["approx_kl"] as? Double }
    #expect(kls.count == 4)
    #expect(kls.allSatisfy { $0 >= 0 && $0 <= 0.01 })
    #expect(kls.contains { $0 > 0 })
  }

  @Test("ppo_continuous.yaml: a short seeded run on Pendulum with rollout.normalize is reproducible")
  func ppoContinuous() throws {
    let metrics = try twice("ppo_continuous", overrides: ["rollout.steps=64", "train.total_steps=1024", "train.epochs=2", "train.minibatches=4", "train.seed=3"])
    #expect(metrics.count == 4)
    #expect(metrics.allSatisfy { $0["clip_frac"] is Double })
    #expect(metrics.last?["episode_return_mean"] is Double)
  }

  @Test("objectives 'run' cannot train yet are refused by check's findings, at their lines, before any work")
  func refused() throws {
    let temporary = try TemporaryDirectory()
    for (name, overrides, message) in [("ppo", ["objective.kl={coef: 0.1}"], "error: objective.kl.against 'ref' is not implemented in environment runs yet"),
                                       ("ppo", ["objective.ratio={mode: token, proximal: ewma}"], "error: objective.ratio.proximal 'ewma' is not implemented in environment runs yet"),
                                       ("a2c", ["advantage.returns.n=3"], "error: environment runs compute A3C's n-step returns with n = rollout.steps (5), not 3"),
                                       ("mdpo", ["train.epochs=4"], "error: objective.mdpo.steps (10) and train.epochs (4) must agree")] {
      let out = temporary.url.appendingPathComponent(name + "\(overrides.count)")
      let report = RunSession.run(recipe: Self.recipe(name), overrides: overrides, out: out.path, quiet: true, terminal: false)
      #expect(report.exitCode == 1)
      #expect((report.output + report.messages).contains(message), "\(report.output)\(report.messages)")
      #expect(!FileManager.default.fileExists(atPath: out.path))
    }
  }
}
