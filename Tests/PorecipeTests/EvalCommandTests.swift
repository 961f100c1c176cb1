import ArgumentParser
import Testing

@testable import porecipe

/// The `eval` command's argument parsing and help text.
@Suite struct EvalCommandTests {
  @Test("eval parses a recipe, --batch and repeated --set")
  func parse() throws {
    let command = try Eval.parse(["grpo", "--batch", "b.json", "--set", "objective.kl=none", "--set", "objective.clip.high=0.3"])
    #expect(command.recipe == "grpo")
    #expect(command.batch == "b.json")
    #expect(command.overrides == ["objective.kl=none", "objective.clip.high=0.3"])
  }

  @Test("eval without --batch is a usage error, which the root maps to exit 2")
  func missingBatch() {
    do {
      _ = try Eval.parse(["grpo"])
      Issue.record("eval without --batch parsed")
    } catch {
      #expect(Porecipe.exitCode(for: error) == ExitCode(64))
    }
  }

  @Test("eval --help is exactly this")
  func help() {
    #expect(Porecipe.helpMessage(for: Eval.self, columns: 100) == """
      OVERVIEW: Evaluate a recipe's advantage and objective on a batch: advantages, loss, gradient.

      Only 'advantage' and 'objective' are used. The batch is JSON: group [N] ids, mask [N][T] 0|1, logp,
      old_logp, ref_logp [N][T], reward [N]; optional values, value_pred, token_reward, entropy,
      rollout_logp, prox_logp [N][T], baseline_reward [N], and logp_full, old_logp_full, ref_logp_full
      [N][T][V] (kl estimator full). Prints advantages, returns (gae, returns, reinforce_pp, remax),
      loss, grad_logp, grad_value_pred (with a value loss), grad_logp_full [N][T][V] (full KL in the
      loss) and terms (pg_loss, kl, entropy, value_loss, and a clipping rule's clip_frac_low,
      clip_frac_high), in double precision. A preference loss takes pairs (chosen_logp, rejected_logp,
      ...), unpaired examples (kto) or lists (lipo, pro) instead. README.md, "Evaluating a recipe on a
      batch", documents the formats.

      Exit codes: 0 success, 1 a wrong recipe or batch or a non-finite result, 2 usage error or
      unreadable path.

      Examples:
        porecipe eval grpo --batch batch.json
        porecipe eval dapo.yaml --batch b.json --set objective.clip.high=0.3
        porecipe eval simpo --batch pairs.json

      USAGE: porecipe eval <recipe> --batch <batch.json> [--set <path=value> ...]

      ARGUMENTS:
        <recipe>                A recipe file, or the name of a built-in recipe.

      OPTIONS:
        --batch <batch.json>    The batch as JSON.
        --set <path=value>      Override a parameter: path=value (YAML value).
        -h, --help              Show help information.

      """)
  }

  @Test("the eval benchmark's program plans and runs")
  func bench() throws {
    let (executable, inputs) = try BenchmarkSuite.grpoProgram(rows: 16, tokens: 8)
    let outputs = try executable.run(inputs)
    // advantages, loss, terms pg_loss, kl, clip_frac_low, clip_frac_high, grad_logp
    #expect(outputs.count == 7)
    #expect(outputs.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
  }
}
