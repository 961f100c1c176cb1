import Foundation
import Recipe
import Runtime

/// The token trainer's iteration, as `recipes/grpo.yaml` runs it (issue 6): 32 prompts × 8
/// samples with the KV-cache sampler, rewards, old and reference log-probs, the compiled
/// GRPO objective and two minibatch updates of the 2-layer width-128 transformer.
extension BenchmarkSuite {
  static var tokenTraining: [Benchmark] { [grpoIteration] }

  /// One GRPO iteration on 2-digit sums after a short warm start (so answers end in EOS after
  /// a few tokens, as in a real run); `--show-plan` prints the time per phase.
  static var grpoIteration: Benchmark {
    Benchmark(name: "grpo_iteration_ms", unit: .milliseconds, workPerCall: 0, iterations: 5, setUp: {
      let trainer = try grpoTrainer()
      return { _ = try? trainer.runIteration() }
    }, plan: {
      let trainer = try grpoTrainer()
      for _ in 0..<10 { _ = try trainer.runIteration() }
      let total = trainer.phaseSeconds.values.reduce(0, +)
      return trainer.phaseSeconds.sorted { $0.value > $1.value }.map { phase, seconds in
        String(format: "%-11@ %7.2f ms per iteration (%4.1f%%)", phase as NSString, seconds * 100, seconds / total * 100)
      }.joined(separator: "\n") + "\n"
    })
  }

  /// The built-in grpo recipe's trainer, warm started for 100 supervised steps (not cached).
  static func grpoTrainer() throws -> TokenTrainer {
    let overrides = ["policy.warm_start.sft.max_steps=100", "policy.warm_start.sft.until_accuracy=0.99", "train.eval_every=1000000"]
    guard case .loaded(let recipe, _) = RunRecipe.load("grpo", overrides: overrides) else {
      throw RunRecorder.Failure(description: "the built-in grpo recipe does not load")
    }
    let setup = try TokenRunSetup(recipe)
    let trainer = try TokenTrainer(task: setup.task, rewards: setup.rewards, recipe: setup.objective, configuration: setup.configuration)
    try trainer.runWarmStart(cache: nil)
    return trainer
  }
}
