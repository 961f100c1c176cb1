import Blocks
import Recipe

/// A resolved recipe's values as the run setups read them: by key path, typed, nil when the
/// recipe has no such value (or one of another type), and refusals that name the file.
///
///     let values = RecipeValues(recipe)
///     c.epochs = try values.int("train.epochs")      // "recipes/x.yaml: train.epochs must be set"
///     c.targetKL = values.number("train.target_kl")  // nil when unset
///     c.topK = values.int("rollout.top_k", default: 0)
struct RecipeValues {
  let recipe: ResolvedRecipe

  init(_ recipe: ResolvedRecipe) { self.recipe = recipe }

  /// A refusal that reads `FILE: message`.
  func refuse(_ message: String) -> RunSetup.Refusal { RunSetup.Refusal(description: "\(recipe.file): \(message)") }

  /// The number at `path` (an int or a float).
  func number(_ path: String) -> Double? { recipe.value(path)?.number }

  /// The number at `path` as an integer, truncated toward zero as `Int(_:)` does; refused
  /// when the recipe has none.
  func int(_ path: String) throws(RunSetup.Refusal) -> Int {
    guard let x = number(path) else { throw refuse("\(path) must be set") }
    return Int(x)
  }

  /// The number at `path` as an integer, truncated toward zero, or `fallback` when the
  /// recipe has none.
  func int(_ path: String, default fallback: Int) -> Int { number(path).map { Int($0) } ?? fallback }

  /// The string at `path`.
  func string(_ path: String) -> String? { if case .string(let s)? = recipe.value(path) { s } else { nil } }

  /// The boolean at `path`.
  func bool(_ path: String) -> Bool? { if case .bool(let b)? = recipe.value(path) { b } else { nil } }

  /// The list at `path`, its items as written.
  func list(_ path: String) -> [ParamValue]? { if case .list(let items)? = recipe.value(path) { items } else { nil } }
}
