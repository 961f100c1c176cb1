import ArgumentParser
import Testing

@testable import porecipe

/// The `diff` command's argument parsing and help text.
@Suite struct DiffCommandTests {
  @Test("diff parses two recipes and --format")
  func parse() throws {
    let command = try Diff.parse(["dapo", "recipes/grpo.yaml", "--format", "json"])
    #expect(command.a == "dapo")
    #expect(command.b == "recipes/grpo.yaml")
    #expect(command.format == .json)
  }

  @Test("diff with one recipe is a usage error")
  func oneRecipe() {
    #expect(throws: (any Error).self) { try Diff.parse(["dapo"]) }
  }

  @Test("diff --help is exactly this")
  func help() {
    #expect(Porecipe.helpMessage(for: Diff.self, columns: 100) == """
      OVERVIEW: Say how recipe A differs from recipe B, in blocks and values.

      A and B are recipe files or built-in recipe names. Both are resolved fully (extends, defaults)
      before they are compared, and the result reads "A is B with these changes", each value as B → A.
      When one recipe extends the other, the list always runs from the parent to the child, like the
      paper's list of changes, whichever is named first ('diff dpo simpo' and 'diff simpo dpo' both say
      "simpo is dpo with ..."); --format json keeps the order named.

      Exit codes: 0 no differences, 1 differences (or a recipe with errors), 2 usage error or unreadable
      path.

      Examples:
        porecipe diff dapo grpo          what DAPO changes in GRPO
        porecipe diff my.yaml dapo       is my recipe DAPO?
        porecipe diff my.yaml dapo --format json

      USAGE: porecipe diff <a> <b> [--format <format>]

      ARGUMENTS:
        <a>                     The recipe to describe.
        <b>                     The recipe to compare it with.

      OPTIONS:
        --format <format>       Output format. (values: text, json; default: text)
        -h, --help              Show help information.

      """)
  }
}
