import Foundation
import Runtime
import Testing
import TestSupport

@testable import porecipe

/// Structural objective rules and clip fractions in token runs (tiny grpo.yaml runs, as
/// `TokenRunTests`): ppo_penalty's adaptive β and mdpo's 1/t_k move between iterations,
/// are logged as `kl_coef` and survive a resume; trpo is refused; the clip fractions are
/// the objective's own.
@Suite struct TokenRunObjectivesTests {
  static let penalty = ["objective.clip=none", "objective.kl=none", "objective.ppo_penalty={target: 0.01, beta_init: 1.0, estimator: k3}"]
  static let mirrorDescent = ["objective.clip=none", "objective.kl=none", "objective.mdpo={steps: 1, schedule: linear_anneal}"]

  func lines(_ url: URL) throws -> [[String: Any]] { try TokenRunTests().lines(url) }

  /// The metrics lines of a tiny grpo run with `overrides`.
  func metrics(_ overrides: [String]) throws -> [[String: Any]] {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    let report = TokenRunTests.run("grpo", overrides, out: out)
    try #require(report.exitCode == 0, "\(report.messages)")
    return try lines(out.appendingPathComponent("metrics.jsonl"))
  }

  @Test("ppo_penalty on a token task: kl_coef starts at beta_init and each next β is Trainer.adaptedKLCoefficient of the iteration's KL")
  func adaptivePenalty() throws {
    let metrics = try metrics(Self.penalty)
    let coefficients = try metrics.map { try #require($0["kl_coef"] as? Double) }
    #expect(coefficients.first == 1.0)
    // One epoch: the iteration's logged kl (the mean over its updates) is the d that adapts β.
    for i in 1..<metrics.count {
      let kl = try #require(metrics[i - 1]["kl"] as? Double)
      #expect(coefficients[i] == Trainer.adaptedKLCoefficient(coefficients[i - 1], kl: kl, target: 0.01), "iteration \(i + 1)")
    }
    #expect(Set(coefficients).count > 1, "β never moved: \(coefficients)")
    #expect(metrics.allSatisfy { $0["clip_frac_low"] == nil }, "ppo_penalty clips nothing")
  }

  @Test("mdpo on a token task: kl_coef is 1/t_k of each iteration, t_k = 1 − k/K")
  func mirrorDescentAnneal() throws {
    let coefficients = try metrics(Self.mirrorDescent).map { $0["kl_coef"] as? Double }
    #expect(coefficients == (0..<4).map { Trainer.mirrorDescentKLCoefficient(iteration: $0, of: 4, anneal: true) })
    #expect(coefficients == [1, 4.0 / 3, 2, 4])
  }

  @Test("a ppo_penalty token run killed after a checkpoint resumes to the uninterrupted run's numbers, β included",
        arguments: [penalty, mirrorDescent])
  func resume(overrides: [String]) throws {
    let temporary = try TemporaryDirectory()
    let whole = temporary.url.appendingPathComponent("whole"), killed = temporary.url.appendingPathComponent("killed")
    for out in [whole, killed] { #expect(TokenRunTests.run("grpo", overrides, out: out, checkpointEvery: 2).exitCode == 0) }
    let expected = try lines(whole.appendingPathComponent("metrics.jsonl"))
    try FileManager.default.removeItem(at: killed.appendingPathComponent("checkpoints/4"))
    let resumed = TokenRunTests.run("grpo", overrides, out: nil, resume: killed, checkpointEvery: 2)
    #expect(resumed.exitCode == 0, "\(resumed.messages)")
    let again = try lines(killed.appendingPathComponent("metrics.jsonl"))
    #expect(TokenRunTests().timeless(again) == TokenRunTests().timeless(expected))
    #expect(again.map { $0["kl_coef"] as? Double } == expected.map { $0["kl_coef"] as? Double })
  }

  @Test("structural rules the token trainer cannot run are check's findings at their lines, before any work")
  func refusals() throws {
    let temporary = try TemporaryDirectory()
    let cases: [([String], String)] = [
      (["objective.clip=none", "objective.kl=none", "objective.trpo={max_kl: 0.01}"], "error: objective 'trpo' is not implemented in token runs yet"),
      (["objective.clip=none", "objective.kl=none", "objective.mdpo={steps: 2}"], "objective.mdpo.steps (2) and train.epochs (1) must agree"),
      (["objective.clip=none", "objective.kl={estimator: k3, coef: 0.01, in: loss, adaptive: {target: 0.1}}",
        "objective.ppo_penalty={target: 0.01, beta_init: 1.0, estimator: k3}"], "error: objective.kl.adaptive beside 'ppo_penalty' is not implemented in token runs yet"),
    ]
    TokenRunTests.expectRefusals(cases, in: temporary.url)
  }

  @Test("gspo's clip fractions count responses (its sequence ratio), cispo reports its clipped weights")
  func clipFractions() throws {
    let temporary = try TemporaryDirectory()
    // gspo: 4 minibatches of 4 responses, each response one decision: every share is k/16.
    let gspo = temporary.url.appendingPathComponent("gspo")
    #expect(TokenRunTests.run("gspo", out: gspo).exitCode == 0)
    for line in try lines(gspo.appendingPathComponent("metrics.jsonl")) {
      for key in ["clip_frac_low", "clip_frac_high"] {
        let share = try #require(line[key] as? Double, "\(key)")
        #expect(abs(share * 16 - (share * 16).rounded()) < 1e-9, "\(key) \(share) is not a share of 16 responses")
      }
    }
    let cispo = temporary.url.appendingPathComponent("cispo")
    #expect(TokenRunTests.run("cispo", out: cispo).exitCode == 0)
    #expect(try lines(cispo.appendingPathComponent("metrics.jsonl")).allSatisfy { $0["clip_frac_high"] is Double && $0["clip_frac_low"] is Double })
  }
}
