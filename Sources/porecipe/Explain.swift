import ArgumentParser
import Recipe

/// `porecipe explain RECIPE`: every resolved value with its origin, and the method in words.
struct Explain: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show a recipe resolved: stages, where KL enters, aggregation, each value's origin.",
    discussion: """
      RECIPE is a recipe file or a built-in recipe name. Each value says where it came \
      from: a file and line, a built-in parent, --set, or the block's default.

      Exit codes: 0 success, 1 the recipe has errors, 2 usage error or unreadable path.

      Examples:
        porecipe explain dapo
        porecipe explain my.yaml --set objective.clip.high=0.3
        porecipe explain grpo --format json
      """)

  @Argument(help: "A recipe file or built-in recipe name.")
  var recipe: String

  @OptionGroup var options: OverrideOptions

  @Option(help: "Output format.")
  var format: ReportFormat = .text

  func run() throws {
    try Output.finish(RecipeExplanation.run(recipe, overrides: options.overrides, format: format,
                                            colored: format == .text && Output.isColored))
  }
}
