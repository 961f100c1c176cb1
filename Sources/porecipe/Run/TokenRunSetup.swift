import Blocks
import Foundation
import Recipe
import Runtime

/// A resolved token-task recipe turned into what the token trainer runs: the task, the
/// reward terms, the compiled objective and the plain settings.
struct TokenRunSetup {
  var recipeName: String
  var task: any TokenTask
  var rewards: [RewardTerm]
  var objective: PolicyRecipe
  var configuration: TokenTrainerConfiguration

  /// The token task blocks `run` trains.
  static let taskNames: Set = ["arithmetic", "countdown", "sorting", "jsonl"]

  /// Whether the recipe's task is a token task.
  static func isTokenTask(_ recipe: ResolvedRecipe) -> Bool {
    recipe.blocks(in: .task).first.map { taskNames.contains($0.decl.name) } ?? false
  }

  init(_ recipe: ResolvedRecipe) throws(RunSetup.Refusal) {
    let values = RecipeValues(recipe)
    recipeName = recipe.name

    // The task.
    task = try Self.task(recipe)
    let name = task.name

    // The policy.
    guard let policy = recipe.blocks(in: .policy).first, policy.decl.name == "transformer" else {
      let other = recipe.blocks(in: .policy).first?.decl.name ?? "none"
      throw values.refuse("the policy '\(other)' cannot serve the token task '\(name)'; use policy: {transformer: {...}}")
    }
    var c = TokenTrainerConfiguration()
    c.policy = try values.transformerPolicy(valueHead: values.bool("policy.transformer.value_head") ?? false,
                                            why: " (ratio-based methods want 0)")
    c.warmStart = values.warmStart()

    // Rollout and training.
    c.prompts = try values.int("rollout.prompts")
    c.group = try values.int("rollout.group")
    c.maxTokens = try values.int("rollout.max_tokens")
    c.temperature = values.number("rollout.temperature") ?? c.temperature
    c.topK = values.int("rollout.top_k", default: 0)
    c.topP = values.number("rollout.top_p") ?? 1
    guard let iterations = values.number("train.iterations") else {
      throw values.refuse("token tasks train for train.iterations (train.total_steps counts environment steps)")
    }
    c.iterations = Int(iterations)
    c.epochs = try values.int("train.epochs")
    c.minibatches = try values.int("train.minibatches")
    c.seed = UInt64(try values.int("train.seed"))
    if let every = values.number("train.eval_every"), every > 0 { c.evalEvery = Int(every) }
    if values.number("train.target_kl") != nil { throw values.refuse("train.target_kl is not supported for token tasks yet") }

    // Rewards and filters.
    rewards = try Self.rewardTerms(values)
    for filter in recipe.blocks(in: .filter) {
      let prefix = "filter.\(filter.decl.name)"
      switch filter.decl.name {
      case "dynamic_sampling":
        c.dynamicSampling = .init(byRewardStd: values.string("\(prefix).metric") == "reward_std",
                                  maxRounds: values.int("\(prefix).max_rounds", default: 8),
                                  minGroups: values.int("\(prefix).min_groups", default: c.prompts))
      case "cppo_prune":
        if values.bool("\(prefix).refill") == true { throw values.refuse("filter.cppo_prune.refill is not supported by 'run' yet") }
        c.cppoKeep = values.number("\(prefix).keep") ?? 0.5
      case "replay":
        guard let capacity = values.number("\(prefix).capacity"), let off = values.number("\(prefix).off_samples") else {
          throw values.refuse("filter.replay needs capacity and off_samples")
        }
        c.replay = .init(capacity: Int(capacity), samples: Int(off), onlyWhenAllFail: values.string("\(prefix).when") == "all_fail",
                         perPrompt: values.bool("\(prefix).per_prompt") ?? true,
                         strategy: ReplayBuffer.Strategy(rawValue: values.string("\(prefix).strategy") ?? "recent") ?? .recent)
      default:
        throw values.refuse("'run' supports the filters dynamic_sampling, cppo_prune and replay so far, not '\(filter.decl.name)'")
      }
    }

    // The objective, compiled from the recipe's blocks.
    do { objective = try PolicyCompiler.recipe(from: recipe.checkResult) } catch { throw values.refuse("\(error.message)") }
    if values.string("objective.ratio.proximal") == "ewma" {
      throw values.refuse("objective.ratio.proximal: ewma is not supported by 'run' yet (it needs an EWMA copy of the weights)")
    }
    if recipe.entries.contains(where: { $0.path.hasPrefix("advantage.then") && $0.path.hasSuffix(".ewma") && $0.value != nil && $0.value != .null }) {
      throw values.refuse("batch_norm.ewma (running statistics) is not supported by 'run' yet; leave it null for the batch's statistics")
    }
    if let kl = objective.kl {
      if kl.estimator == .full { throw values.refuse("objective.kl.estimator: full is not supported by 'run' yet; use k1, k2, k3 or abs") }
      if kl.isAgainstOld { throw values.refuse("objective.kl.against: old is not supported on token tasks yet") }
      if let target = values.number("objective.kl.adaptive.target") {
        c.klTarget = target
        c.klHorizon = values.int("objective.kl.adaptive.horizon", default: 10_000)
      }
    }
    if case .estimator(let estimator) = objective.advantage, let gae = estimator as? GeneralizedAdvantageEstimation,
       gae.normalization.rawValue == "minibatch" {
      throw values.refuse("advantage.gae.normalize: minibatch is not supported on token tasks yet; use batch (verl) or none")
    }
    // Structural rules: ppo_penalty's adaptive β and mdpo's annealed 1/t_k move in the
    // trainer (the update's penalty_coef input, logged as kl_coef); trpo's step does not exist here.
    if objective.policyLoss is TrustRegionSurrogate { throw values.refuse(TokenTrainer.trustRegionRefusal) }
    if objective.policyLoss is MirrorDescentSurrogate { try values.checkMirrorDescentSteps(epochs: c.epochs) }
    if objective.policyLoss is PenalizedSurrogate || objective.policyLoss is MirrorDescentSurrogate, c.klTarget != nil {
      throw values.refuse("objective.kl.adaptive cannot be combined with ppo_penalty or mdpo on token tasks: both coefficients would be logged as kl_coef; give objective.kl a fixed coef")
    }
    if objective.value != nil, !c.policy.valueHead {
      throw values.refuse("objective.value trains a critic: set policy.transformer.value_head: true")
    }

    // The optimizer and the schedule.
    let optimizer = try OptimizerSettings(values, allowsAdamW: true)
    optimizer.apply(to: &c)
    c.weightDecay = optimizer.weightDecay
    do { try c.validate() } catch { throw values.refuse("\(error)") }
    configuration = c
  }

  /// The recipe's token task, built from its block's parameters.
  static func task(_ recipe: ResolvedRecipe) throws(RunSetup.Refusal) -> any TokenTask {
    let values = RecipeValues(recipe)
    guard let taskBlock = recipe.blocks(in: .task).first else { throw values.refuse("the recipe names no task") }
    let name = taskBlock.decl.name
    do {
      switch name {
      case "arithmetic":
        var operations: [Character] = ["+"]
        if let items = values.list("task.arithmetic.operations") {
          operations = items.compactMap { if case .string(let s) = $0 { s.first } else { nil } }
        }
        return try ArithmeticTask(digits: try values.int("task.arithmetic.digits"), operations: operations)
      case "countdown":
        return try CountdownTask(numbers: try values.int("task.countdown.numbers"), maxTarget: try values.int("task.countdown.max_target"))
      case "sorting":
        return try SortingTask(length: try values.int("task.sorting.length"), alphabet: try values.int("task.sorting.alphabet"),
                               partialCredit: values.bool("task.sorting.partial_credit") ?? false)
      case "jsonl":
        guard let file = values.dataFile("task.jsonl.path") else { throw values.refuse("task.jsonl.path must be set") }
        return try JSONLTask(path: file, promptKey: values.string("task.jsonl.prompt_key") ?? "prompt",
                             answerKey: values.string("task.jsonl.answer_key"))
      default:
        throw values.refuse("'run' trains the token tasks \(Self.taskNames.sorted().joined(separator: ", ")); '\(name)' is not one")
      }
    } catch let error as RunSetup.Refusal {
      throw error
    } catch {
      throw values.refuse("\(error)")
    }
  }
}
