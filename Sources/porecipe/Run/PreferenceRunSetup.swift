import Blocks
import Diagnostics
import Foundation
import Recipe
import Runtime

/// A resolved preference recipe turned into what the preference trainer runs: the loss, the
/// verifier's task (or none for a data file) and the plain settings.
///
/// Keys: `task.preference.{from, pairs, samples, sampling, rejection_beta}` (offline pairs
/// built from the warm start), `task.preference_jsonl.path` (a file), or a token task with a
/// preference objective (online pairs from `rollout.prompts × rollout.group`, `rollout.pairs`,
/// `train.iterations` rounds). Offline runs make `train.iterations` steps, a pass over the
/// data every `train.minibatches` steps (`train.epochs` is not used). The optimizer and
/// `schedule.lr.linear` are read as for token runs (`OptimizerSettings`).
struct PreferenceRunSetup {
  var recipeName: String
  var task: (any TokenTask)?
  var loss: PreferenceLoss
  var configuration: PreferenceTrainerConfiguration
  var warnings: [String] = []

  /// Whether the recipe trains a preference loss (its task or its objective says so).
  static func isPreference(_ recipe: ResolvedRecipe) -> Bool {
    if let task = recipe.blocks(in: .task).first?.decl.name, ["preference", "preference_jsonl"].contains(task) { return true }
    return (try? PolicyCompiler.preferenceLoss(from: recipe.checkResult)) != nil
  }

  init(_ recipe: ResolvedRecipe) throws(RunSetup.Refusal) {
    let values = RecipeValues(recipe)
    recipeName = recipe.name

    let compiled: (loss: PreferenceLoss, span: SourceSpan)?
    do { compiled = try PolicyCompiler.preferenceLoss(from: recipe.checkResult) } catch { throw values.refuse(error.message) }
    guard let compiled else {
      throw values.refuse("a preference task trains a preference loss: set objective to dpo, ipo, kto, lipo, … (see `porecipe list`)")
    }
    loss = compiled.loss
    // An advantage beside a preference loss is ignored, as `check` warns (preference-with-advantage).

    task = try Self.task(recipe)
    let source: PreferenceTrainerConfiguration.Source
    switch recipe.blocks(in: .task).first?.decl.name {
    case "preference":
      let samples = try values.int("task.preference.samples")
      let pairing: PreferencePairing = values.string("task.preference.sampling") == "rejection"
        ? .rejection(beta: values.number("task.preference.rejection_beta") ?? 0.5, accepted: max(2, samples / 2)) : .uniform
      source = .offline(units: try values.int("task.preference.pairs"), samples: samples, pairing: pairing)
    case "preference_jsonl":
      guard let file = values.dataFile("task.preference_jsonl.path") else { throw values.refuse("task.preference_jsonl.path must be set") }
      let data: PreferenceDataset
      do { data = try PreferenceDataset.read(path: file) } catch {
        throw RunSetup.Refusal(description: error.line > 0 ? "\(error.path):\(error.line): \(error.message)" : "\(error.path): \(error.message)")
      }
      warnings = data.warnings
      source = .file(data)
    default:
      let pairing: PreferencePairing = values.string("rollout.pairs") == "all" ? .all : .bestWorst
      guard let iterations = values.number("train.iterations") else { throw values.refuse("online preference pairs train for train.iterations rounds; set it") }
      source = .online(prompts: try values.int("rollout.prompts"), group: try values.int("rollout.group"), pairing: pairing, iterations: Int(iterations))
    }

    var c = PreferenceTrainerConfiguration(source: source)
    guard let policy = recipe.blocks(in: .policy).first, policy.decl.name == "transformer" else {
      throw values.refuse("preference recipes train policy: {transformer: {...}}")
    }
    c.policy = try values.transformerPolicy(valueHead: false)
    if task != nil { c.warmStart = values.warmStart() }
    c.maxTokens = values.int("rollout.max_tokens", default: 16)
    c.temperature = values.number("rollout.temperature") ?? 1
    c.iterations = try values.int("train.iterations")
    c.minibatches = try values.int("train.minibatches")
    c.seed = UInt64(try values.int("train.seed"))
    c.evalEvery = values.int("train.eval_every", default: 0)
    let optimizer = try OptimizerSettings(values, allowsAdamW: true)
    optimizer.apply(to: &c)
    c.weightDecay = optimizer.weightDecay
    do { try c.validate() } catch { throw values.refuse("\(error)") }
    configuration = c
  }

  /// The task whose verifier scores a preference recipe's answers: `task.preference.from`'s
  /// (offline pairs), the token task itself (online pairs), or nil for a data file
  /// (`task.preference_jsonl`).
  static func task(_ recipe: ResolvedRecipe) throws(RunSetup.Refusal) -> (any TokenTask)? {
    let values = RecipeValues(recipe)
    guard let taskBlock = recipe.blocks(in: .task).first else { throw values.refuse("the recipe names no task") }
    switch taskBlock.decl.name {
    case "preference":
      let from = values.string("task.preference.from") ?? "arithmetic"
      do {
        switch from {
        case "arithmetic": return try ArithmeticTask(digits: 2, operations: ["+"])
        case "countdown": return try CountdownTask(numbers: 3, maxTarget: 50)
        case "sorting": return try SortingTask(length: 5, alphabet: 10, partialCredit: true)
        default: throw values.refuse("task.preference.from: '\(from)' is not a token task with a verifier")
        }
      } catch let error as RunSetup.Refusal { throw error } catch { throw values.refuse("\(error)") }
    case "preference_jsonl":
      return nil
    default:
      guard TokenRunSetup.isTokenTask(recipe) else {
        throw values.refuse("a preference loss trains on task.preference, task.preference_jsonl or a token task (online pairs); '\(taskBlock.decl.name)' is none")
      }
      return try TokenRunSetup.task(recipe)
    }
  }
}
