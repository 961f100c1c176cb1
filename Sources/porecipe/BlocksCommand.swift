import ArgumentParser
import Recipe

/// `porecipe blocks [NAME]`: the block catalog, or one block in full.
struct BlocksCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blocks",
    abstract: "List the blocks recipes compose, or show one with its formula and parameters.",
    discussion: """
      Without NAME: every block by section, with its summary and paper. With a block \
      name: its formula, each parameter's type, default, range and doc, its papers, and \
      where it goes in a recipe. A section name lists that section's blocks.

      Exit codes: 0 success, 1 unknown name, 2 usage error.

      Examples:
        porecipe blocks
        porecipe blocks clip
        porecipe blocks objective
      """)

  @Argument(help: "A block or section name.")
  var name: String?

  func run() throws {
    try Output.finish(BlockCatalog.run(name))
  }
}
