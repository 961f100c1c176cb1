import ArgumentParser
import Foundation

/// The `porecipe` command: recipes for policy optimization, checked and run.
@main
struct Porecipe: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "porecipe",
    abstract: "Policy-optimization recipes: check them, run them, measure them.",
    discussion: """
      A recipe is a YAML file that composes building blocks of policy optimization \
      (advantage estimators, clipping rules, KL penalties, aggregation, ...).

      Exit codes: 0 success, 1 the input is wrong or the run failed, 2 usage error.

      Examples:
        porecipe run recipes/ppo.yaml       train PPO on CartPole
        porecipe check recipes/             check recipes like a compiler
        porecipe explain dapo               each value of a recipe and its origin
        porecipe diff dapo grpo             what DAPO changes in GRPO
        porecipe blocks clip                a block's formula, parameters, papers
        porecipe eval grpo --batch b.json   a recipe's loss and gradient on a batch
        porecipe graph grpo | dot -Tsvg     the compiled update, drawn
        porecipe new my_dapo --from dapo    start a recipe from another
        porecipe bench --filter sgemm       measure the compute core
      """,
    subcommands: [Run.self, Check.self, Explain.self, Diff.self, BlocksCommand.self, New.self, Schema.self, Bench.self, Eval.self, GraphCommand.self, ReportCommand.self, Sample.self])

  /// Runs the command; ArgumentParser's usage exit code 64 (EX_USAGE) becomes porecipe's 2,
  /// and output that cannot be written (`> /dev/full`) is an error, exit code 1.
  static func main() { main(nil) }

  /// Runs `arguments` (the process's own when nil) as `main()` does.
  static func main(_ arguments: [String]?) {
    do {
      var command = try parseAsRoot(arguments)
      try command.run()
    } catch let failure as Output.WriteFailure {
      Output.writeError("error: \(failure)\n")
      Foundation.exit(1)
    } catch {
      if exitCode(for: error) == ExitCode(64) {
        Output.writeError(fullMessage(for: error) + "\n")
        Foundation.exit(2)
      }
      exit(withError: error)
    }
  }
}
