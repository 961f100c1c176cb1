import ArgumentParser
import Recipe

/// `porecipe diff A B`: how recipe A differs from recipe B, in method terms.
struct Diff: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Say how recipe A differs from recipe B, in blocks and values.",
    discussion: """
      A and B are recipe files or built-in recipe names. Both are resolved fully \
      (extends, defaults) before they are compared, and the result reads \
      "A is B with these changes", each value as B → A. When one recipe extends \
      the other, the list always runs from the parent to the child, like the \
      paper's list of changes, whichever is named first ('diff dpo simpo' and \
      'diff simpo dpo' both say "simpo is dpo with ..."); --format json keeps \
      the order named.

      Exit codes: 0 no differences, 1 differences (or a recipe with errors), \
      2 usage error or unreadable path.

      Examples:
        porecipe diff dapo grpo          what DAPO changes in GRPO
        porecipe diff my.yaml dapo       is my recipe DAPO?
        porecipe diff my.yaml dapo --format json
      """)

  @Argument(help: "The recipe to describe.")
  var a: String

  @Argument(help: "The recipe to compare it with.")
  var b: String

  @Option(help: "Output format.")
  var format: ReportFormat = .text

  func run() throws {
    try Output.finish(RecipeDiff.run(a, b, format: format, colored: format == .text && Output.isColored))
  }
}
