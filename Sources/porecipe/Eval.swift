import ArgumentParser
import Foundation
import Recipe

/// `porecipe eval RECIPE --batch batch.json`: a recipe's advantage and objective on a given
/// batch, as one JSON object, to compare with any other implementation number for number.
struct Eval: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Evaluate a recipe's advantage and objective on a batch: advantages, loss, gradient.",
    discussion: """
      Only 'advantage' and 'objective' are used. The batch is JSON: \
      group [N] ids, mask [N][T] 0|1, logp, old_logp, ref_logp [N][T], \
      reward [N]; optional values, value_pred, token_reward, entropy, \
      rollout_logp, prox_logp [N][T], baseline_reward [N], and logp_full, \
      old_logp_full, ref_logp_full [N][T][V] (kl estimator full). Prints \
      advantages, returns (gae, returns, reinforce_pp, remax), loss, \
      grad_logp, grad_value_pred (with a value loss), grad_logp_full \
      [N][T][V] (full KL in the loss) and terms (pg_loss, kl, entropy, \
      value_loss, and a clipping rule's clip_frac_low, clip_frac_high), in \
      double precision. A preference loss takes pairs \
      (chosen_logp, rejected_logp, ...), unpaired examples (kto) or lists \
      (lipo, pro) instead. README.md, "Evaluating a recipe on a batch", \
      documents the formats.

      Exit codes: 0 success, 1 a wrong recipe or batch or a non-finite \
      result, 2 usage error or unreadable path.

      Examples:
        porecipe eval grpo --batch batch.json
        porecipe eval dapo.yaml --batch b.json --set objective.clip.high=0.3
        porecipe eval simpo --batch pairs.json
      """)

  @Argument(help: "A recipe file, or the name of a built-in recipe.")
  var recipe: String

  @Option(help: ArgumentHelp("The batch as JSON.", valueName: "batch.json"))
  var batch: String

  @Option(name: .customLong("set"), help: ArgumentHelp("Override a parameter: path=value (YAML value).", valueName: "path=value"))
  var overrides: [String] = []

  func validate() throws {
    for override in overrides where !override.contains("=") || override.hasPrefix("=") {
      throw ValidationError("--set takes path=value, e.g. --set objective.clip.high=0.28; got '\(override)'")
    }
  }

  func run() throws {
    let report = RecipeEval.run(recipe: recipe, batch: batch, overrides: overrides)
    try Output.write(report.output)
    Output.writeError(report.errors)
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}
