import ArgumentParser
import Recipe

/// `porecipe new NAME --from PARENT`: a starter recipe extending PARENT.
struct New: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Start a recipe that extends another, with the parent's sections shown as comments.",
    discussion: """
      Writes NAME.yaml in --out (default: the current directory) with the editor \
      schema line, 'recipe: NAME', a paper placeholder and 'extends: PARENT', then \
      what the parent sets, commented, so you see what to change. It checks clean as \
      written; an existing file is never overwritten.

      Exit codes: 0 written, 1 the file exists or PARENT has errors, 2 usage error or \
      unreadable path.

      Examples:
        porecipe new my_dapo --from dapo
        porecipe new clip_lower --from recipes/grpo.yaml --out recipes
      """)

  @Argument(help: "The new recipe's name (letters, digits, '_' and '-').")
  var name: String

  @Option(help: "The recipe to extend: a file or a built-in recipe name.")
  var from: String

  @Option(help: "The directory to write NAME.yaml in.")
  var out: String = "."

  func validate() throws {
    let bare = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    guard !bare.isEmpty, bare.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
      throw ValidationError("NAME takes letters, digits, '_' and '-'; got '\(name)'")
    }
  }

  func run() throws {
    try Output.finish(RecipeTemplate.run(name: name, from: from, outDirectory: out))
  }
}
