import ArgumentParser
import Graph
import Recipe

extension GraphDrawingFormat: ExpressibleByArgument {}

/// `porecipe graph RECIPE`: the compiled update graph, drawn.
struct GraphCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "graph",
    abstract: "Draw a recipe's compiled update graph (Graphviz dot or Mermaid).",
    discussion: """
      RECIPE is a recipe file or a built-in recipe name. Each box is one value: \
      its op, type, name and the recipe line that made it. Inputs are \
      parallelograms, outputs bold (dot) or rounded (mermaid). The graph is the \
      update's loss for a small example batch, as `porecipe explain` prints it.

      Exit codes: 0 success, 1 the recipe has errors, 2 usage or unreadable path.

      Examples:
        porecipe graph grpo | dot -Tsvg > grpo.svg
        porecipe graph dapo --format mermaid
        porecipe graph my.yaml --set objective.kl=none
      """)

  @Argument(help: "A recipe file or built-in recipe name.")
  var recipe: String

  @OptionGroup var options: OverrideOptions

  @Option(help: "Drawing format.")
  var format: GraphDrawingFormat = .dot

  func run() throws {
    try Output.finish(RecipeDrawing.run(recipe, overrides: options.overrides, format: format))
  }
}
