import ArgumentParser
import Testing

@testable import porecipe

/// The `explain`, `blocks` and `new` commands' argument parsing and help texts.
@Suite struct ToolCommandTests {
  @Test("explain parses a recipe and repeated --set; --set without '=' is a usage error")
  func explainParse() throws {
    let command = try Explain.parse(["dapo", "--set", "objective.clip.high=0.3", "--set", "train.seed=1"])
    #expect(command.recipe == "dapo")
    #expect(command.options.overrides == ["objective.clip.high=0.3", "train.seed=1"])
    do {
      _ = try Explain.parse(["dapo", "--set", "objective.clip.high"])
      Issue.record("--set without = parsed")
    } catch {
      #expect(Porecipe.exitCode(for: error) == ExitCode(64))
    }
  }

  @Test("new needs --from and a name of letters, digits, '_' and '-'")
  func newParse() throws {
    let command = try New.parse(["my_dapo", "--from", "dapo", "--out", "recipes"])
    #expect(command.name == "my_dapo")
    #expect(command.from == "dapo")
    #expect(command.out == "recipes")
    #expect(try New.parse(["x", "--from", "grpo"]).out == ".")
    #expect(throws: (any Error).self) { try New.parse(["my_dapo"]) }
    do {
      _ = try New.parse(["a/b", "--from", "grpo"])
      Issue.record("a/b parsed")
    } catch {
      #expect(Porecipe.message(for: error) == "NAME takes letters, digits, '_' and '-'; got 'a/b'")
    }
  }

  @Test("blocks takes an optional name")
  func blocksParse() throws {
    #expect(try BlocksCommand.parse([]).name == nil)
    #expect(try BlocksCommand.parse(["clip"]).name == "clip")
  }

  @Test("explain --help is exactly this")
  func explainHelp() {
    #expect(Porecipe.helpMessage(for: Explain.self, columns: 100) == """
      OVERVIEW: Show a recipe resolved: stages, where KL enters, aggregation, each value's origin.

      RECIPE is a recipe file or a built-in recipe name. Each value says where it came from: a file and
      line, a built-in parent, --set, or the block's default.

      Exit codes: 0 success, 1 the recipe has errors, 2 usage error or unreadable path.

      Examples:
        porecipe explain dapo
        porecipe explain my.yaml --set objective.clip.high=0.3
        porecipe explain grpo --format json

      USAGE: porecipe explain <recipe> [--set <path=value> ...] [--format <format>]

      ARGUMENTS:
        <recipe>                A recipe file or built-in recipe name.

      OPTIONS:
        --set <path=value>      Override a parameter: path=value (YAML value).
        --format <format>       Output format. (values: text, json; default: text)
        -h, --help              Show help information.

      """)
  }

  @Test("blocks --help is exactly this")
  func blocksHelp() {
    #expect(Porecipe.helpMessage(for: BlocksCommand.self, columns: 100) == """
      OVERVIEW: List the blocks recipes compose, or show one with its formula and parameters.

      Without NAME: every block by section, with its summary and paper. With a block name: its formula,
      each parameter's type, default, range and doc, its papers, and where it goes in a recipe. A section
      name lists that section's blocks.

      Exit codes: 0 success, 1 unknown name, 2 usage error.

      Examples:
        porecipe blocks
        porecipe blocks clip
        porecipe blocks objective

      USAGE: porecipe blocks [<name>]

      ARGUMENTS:
        <name>                  A block or section name.

      OPTIONS:
        -h, --help              Show help information.

      """)
  }

  @Test("new --help is exactly this")
  func newHelp() {
    #expect(Porecipe.helpMessage(for: New.self, columns: 100) == """
      OVERVIEW: Start a recipe that extends another, with the parent's sections shown as comments.

      Writes NAME.yaml in --out (default: the current directory) with the editor schema line, 'recipe:
      NAME', a paper placeholder and 'extends: PARENT', then what the parent sets, commented, so you see
      what to change. It checks clean as written; an existing file is never overwritten.

      Exit codes: 0 written, 1 the file exists or PARENT has errors, 2 usage error or unreadable path.

      Examples:
        porecipe new my_dapo --from dapo
        porecipe new clip_lower --from recipes/grpo.yaml --out recipes

      USAGE: porecipe new <name> --from <from> [--out <out>]

      ARGUMENTS:
        <name>                  The new recipe's name (letters, digits, '_' and '-').

      OPTIONS:
        --from <from>           The recipe to extend: a file or a built-in recipe name.
        --out <out>             The directory to write NAME.yaml in. (default: .)
        -h, --help              Show help information.

      """)
  }

  @Test("the root command lists the tools over recipes")
  func root() {
    let help = Porecipe.helpMessage()
    for name in ["explain", "diff", "blocks", "new"] { #expect(help.contains("\n  \(name) "), "\(name)") }
  }
}

@Suite struct GraphCommandTests {
  @Test("graph takes a recipe, --set and a drawing format")
  func parse() throws {
    let command = try GraphCommand.parse(["dapo", "--format", "mermaid", "--set", "objective.kl=none"])
    #expect(command.recipe == "dapo")
    #expect(command.format == .mermaid)
    #expect(command.options.overrides == ["objective.kl=none"])
    #expect(try GraphCommand.parse(["grpo"]).format == .dot)
    #expect(throws: (any Error).self) { try GraphCommand.parse(["grpo", "--format", "svg"]) }
  }

  @Test("graph --help is exactly this")
  func help() {
    #expect(Porecipe.helpMessage(for: GraphCommand.self, columns: 100) == """
      OVERVIEW: Draw a recipe's compiled update graph (Graphviz dot or Mermaid).

      RECIPE is a recipe file or a built-in recipe name. Each box is one value: its op, type, name and
      the recipe line that made it. Inputs are parallelograms, outputs bold (dot) or rounded (mermaid).
      The graph is the update's loss for a small example batch, as `porecipe explain` prints it.

      Exit codes: 0 success, 1 the recipe has errors, 2 usage or unreadable path.

      Examples:
        porecipe graph grpo | dot -Tsvg > grpo.svg
        porecipe graph dapo --format mermaid
        porecipe graph my.yaml --set objective.kl=none

      USAGE: porecipe graph <recipe> [--set <path=value> ...] [--format <format>]

      ARGUMENTS:
        <recipe>                A recipe file or built-in recipe name.

      OPTIONS:
        --set <path=value>      Override a parameter: path=value (YAML value).
        --format <format>       Drawing format. (values: dot, mermaid; default: dot)
        -h, --help              Show help information.

      """)
  }
}
