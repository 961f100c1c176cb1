import ArgumentParser
import Testing

@testable import porecipe

/// Every command's `--help` at 80 columns reads as paragraphs: ArgumentParser wraps each
/// source line, so a discussion hard-wrapped in source would break again mid-sentence.
///
/// Stated precisely, for each two consecutive rendered lines `a` and `b`:
/// - when both are paragraph lines (not blank, not indented), `b`'s first word did not fit
///   on `a`: ArgumentParser breaks at the last space of the next 80 characters, so a line
///   followed by more of its paragraph satisfies `a.count + 1 + firstWord(b).count >= 80`;
///   a shorter `a` means a line break in the source, and a new paragraph there needs a blank
///   line;
/// - when `a` is indented (an example, an option), `b` is not a paragraph line: an example
///   longer than the screen would wrap onto an unindented line.
@Suite struct HelpLayoutTests {
  static let columns = 80

  /// The root command and each subcommand, by name.
  static let commands: [(name: String, help: String)] =
    [("porecipe", Porecipe.helpMessage(columns: columns))]
      + Porecipe.configuration.subcommands.map { ($0._commandName, Porecipe.helpMessage(for: $0, columns: columns)) }

  /// The places where `help` breaks a paragraph or an indented line, as `line N: text`.
  static func brokenLines(_ help: String) -> [String] {
    let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
    func isParagraph(_ line: Substring) -> Bool { !line.isEmpty && line.first != " " }
    var broken: [String] = []
    for (i, (a, b)) in zip(lines, lines.dropFirst()).enumerated() {
      if isParagraph(a), isParagraph(b), a.count + 1 + b.prefix(while: { $0 != " " }).count < columns {
        broken.append("line \(i + 1): '\(a)' could have taken '\(b.prefix(while: { $0 != " " }))'")
      }
      if a.first == " ", isParagraph(b) { broken.append("line \(i + 2): '\(b)' continues an indented line") }
    }
    return broken
  }

  @Test("every command's --help keeps its paragraphs whole at 80 columns", arguments: commands.map(\.name))
  func paragraphsAreWhole(command: String) throws {
    let help = try #require(Self.commands.first { $0.name == command }).help
    #expect(Self.brokenLines(help) == [])
  }

  @Test("the check finds a paragraph hard-wrapped in source and an example wider than the screen")
  func checkFindsBreaks() {
    // What `sample --help` printed when its discussion was wrapped at 86 columns in source.
    let hardWrapped = """
      Loads the latest checkpoint of RUN_DIR (a directory written by 'porecipe run'
      on a
      token task) and its recipe.resolved.yaml.
      """
    #expect(Self.brokenLines(hardWrapped) == ["line 2: 'on a' could have taken 'token'"])
    let wideExample = """
      Examples:
        porecipe run recipes/grpo.yaml --set train.seed=3      (token task: warm start,
      then GRPO)
      """
    #expect(Self.brokenLines(wideExample) == ["line 3: 'then GRPO)' continues an indented line"])
  }

  @Test("sample --help is exactly this")
  func sampleHelp() {
    #expect(Porecipe.helpMessage(for: Sample.self, columns: 80) == """
      OVERVIEW: Print completions from a token or preference run's checkpoint, or
      pass@k on a split.

      Loads the latest checkpoint of RUN_DIR (a directory written by 'porecipe run'
      on a token task or a preference recipe) and its recipe.resolved.yaml. With
      --prompt, prints K completions of TEXT (the first greedy, the rest sampled at
      the recipe's temperature). With --split heldout (or train), draws K samples for
      every problem of the split and prints the greedy accuracy and pass@k (a problem
      passes when any of its K answers is correct); a preference run samples its
      task's problems (the one task.preference.from names), and one on a
      preference_jsonl file, having no verifier, takes --prompt only.

      Examples:
        porecipe sample runs/grpo-20261125-101500 --prompt "37+45="
        porecipe sample runs/grpo-20261125-101500 --split heldout --k 8
        porecipe sample runs/dpo-20261201-090000 --split heldout

      USAGE: porecipe sample <RUN_DIR> [--prompt <prompt>] [--split <SPLIT>] [--k <k>] [--problems <problems>] [--seed <seed>]

      ARGUMENTS:
        <RUN_DIR>               A token or preference run's directory.

      OPTIONS:
        --prompt <prompt>       A prompt to complete (the task's format, e.g.
                                "37+45=").
        --split <SPLIT>         Measure pass@k on this split: heldout or train.
        --k <k>                 Completions per prompt. (default: 8)
        --problems <problems>   Problems drawn for --split train. (default: 256)
        --seed <seed>           The sampling seed. (default: 0)
        -h, --help              Show help information.

      """)
  }
}
