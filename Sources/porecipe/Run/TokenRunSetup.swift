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
    func refuse(_ message: String) -> RunSetup.Refusal { RunSetup.Refusal(description: "\(recipe.file): \(message)") }
    func number(_ path: String) -> Double? { recipe.value(path)?.number }
    func int(_ path: String) throws(RunSetup.Refusal) -> Int {
      guard let x = number(path) else { throw refuse("\(path) must be set") }
      return Int(x)
    }
    func string(_ path: String) -> String? { if case .string(let s)? = recipe.value(path) { s } else { nil } }
    func bool(_ path: String) -> Bool? { if case .bool(let b)? = recipe.value(path) { b } else { nil } }
    recipeName = recipe.name

    // The task.
    task = try Self.task(recipe)
    let name = task.name

    // The policy.
    guard let policy = recipe.blocks(in: .policy).first, policy.decl.name == "transformer" else {
      let other = recipe.blocks(in: .policy).first?.decl.name ?? "none"
      throw refuse("the policy '\(other)' cannot serve the token task '\(name)'; use policy: {transformer: {...}}")
    }
    if let dropout = number("policy.transformer.dropout"), dropout != 0 {
      throw refuse("policy.transformer.dropout = \(dropout): 'run' trains without dropout (ratio-based methods want 0)")
    }
    var c = TokenTrainerConfiguration()
    c.policy = TransformerConfiguration(vocabulary: TokenVocabulary.size, layers: try int("policy.transformer.layers"),
                                        width: try int("policy.transformer.width"), heads: try int("policy.transformer.heads"),
                                        context: try int("policy.transformer.context"),
                                        valueHead: bool("policy.transformer.value_head") ?? false)
    if let until = number("policy.warm_start.sft.until_accuracy") {
      var warm = WarmStartConfiguration(untilAccuracy: until)
      warm.maxSteps = Int(number("policy.warm_start.sft.max_steps") ?? Double(warm.maxSteps))
      warm.learningRate = number("policy.warm_start.sft.lr") ?? warm.learningRate
      c.warmStart = warm
    }

    // Rollout and training.
    c.prompts = try int("rollout.prompts")
    c.group = try int("rollout.group")
    c.maxTokens = try int("rollout.max_tokens")
    c.temperature = number("rollout.temperature") ?? c.temperature
    c.topK = Int(number("rollout.top_k") ?? 0)
    c.topP = number("rollout.top_p") ?? 1
    guard let iterations = number("train.iterations") else {
      throw refuse("token tasks train for train.iterations (train.total_steps counts environment steps)")
    }
    c.iterations = Int(iterations)
    c.epochs = try int("train.epochs")
    c.minibatches = try int("train.minibatches")
    c.seed = UInt64(try int("train.seed"))
    if let every = number("train.eval_every"), every > 0 { c.evalEvery = Int(every) }
    if number("train.target_kl") != nil { throw refuse("train.target_kl is not supported for token tasks yet") }

    // Rewards and filters.
    rewards = try Self.rewardTerms(recipe, refuse: refuse)
    for filter in recipe.blocks(in: .filter) {
      let prefix = "filter.\(filter.decl.name)"
      switch filter.decl.name {
      case "dynamic_sampling":
        c.dynamicSampling = .init(byRewardStd: string("\(prefix).metric") == "reward_std",
                                  maxRounds: Int(number("\(prefix).max_rounds") ?? 8),
                                  minGroups: Int(number("\(prefix).min_groups") ?? Double(c.prompts)))
      case "cppo_prune":
        if bool("\(prefix).refill") == true { throw refuse("filter.cppo_prune.refill is not supported by 'run' yet") }
        c.cppoKeep = number("\(prefix).keep") ?? 0.5
      case "replay":
        guard let capacity = number("\(prefix).capacity"), let off = number("\(prefix).off_samples") else {
          throw refuse("filter.replay needs capacity and off_samples")
        }
        c.replay = .init(capacity: Int(capacity), samples: Int(off), onlyWhenAllFail: string("\(prefix).when") == "all_fail",
                         perPrompt: bool("\(prefix).per_prompt") ?? true,
                         strategy: ReplayBuffer.Strategy(rawValue: string("\(prefix).strategy") ?? "recent") ?? .recent)
      default:
        throw refuse("'run' supports the filters dynamic_sampling, cppo_prune and replay so far, not '\(filter.decl.name)'")
      }
    }

    // The objective, compiled from the recipe's blocks.
    do { objective = try PolicyCompiler.recipe(from: recipe.checkResult) } catch { throw refuse("\(error.message)") }
    if string("objective.ratio.proximal") == "ewma" {
      throw refuse("objective.ratio.proximal: ewma is not supported by 'run' yet (it needs an EWMA copy of the weights)")
    }
    if recipe.entries.contains(where: { $0.path.hasPrefix("advantage.then") && $0.path.hasSuffix(".ewma") && $0.value != nil && $0.value != .null }) {
      throw refuse("batch_norm.ewma (running statistics) is not supported by 'run' yet; leave it null for the batch's statistics")
    }
    if let kl = objective.kl {
      if kl.estimator == .full { throw refuse("objective.kl.estimator: full is not supported by 'run' yet; use k1, k2, k3 or abs") }
      if kl.isAgainstOld { throw refuse("objective.kl.against: old is not supported on token tasks yet") }
      if let target = number("objective.kl.adaptive.target") {
        c.klTarget = target
        c.klHorizon = Int(number("objective.kl.adaptive.horizon") ?? 10_000)
      }
    }
    if case .estimator(let estimator) = objective.advantage, let gae = estimator as? GeneralizedAdvantageEstimation,
       gae.normalization.rawValue == "minibatch" {
      throw refuse("advantage.gae.normalize: minibatch is not supported on token tasks yet; use batch (verl) or none")
    }
    if objective.value != nil, !c.policy.valueHead {
      throw refuse("objective.value trains a critic: set policy.transformer.value_head: true")
    }

    // The optimizer and the schedule.
    let optimizer = try OptimizerSettings(recipe, allowsAdamW: true, refuse: refuse)
    c.learningRate = optimizer.learningRate ?? c.learningRate
    c.adamEps = optimizer.eps ?? c.adamEps
    if let (b1, b2) = optimizer.betas { (c.adamBeta1, c.adamBeta2) = (b1, b2) }
    c.gradClip = optimizer.gradClip
    c.weightDecay = optimizer.weightDecay
    c.annealTo = optimizer.annealTo
    do { try c.validate() } catch { throw refuse("\(error)") }
    configuration = c
  }

  /// The recipe's token task, built from its block's parameters.
  static func task(_ recipe: ResolvedRecipe) throws(RunSetup.Refusal) -> any TokenTask {
    func refuse(_ message: String) -> RunSetup.Refusal { RunSetup.Refusal(description: "\(recipe.file): \(message)") }
    func int(_ path: String) throws(RunSetup.Refusal) -> Int {
      guard let x = recipe.value(path)?.number else { throw refuse("\(path) must be set") }
      return Int(x)
    }
    func string(_ path: String) -> String? { if case .string(let s)? = recipe.value(path) { s } else { nil } }
    func bool(_ path: String) -> Bool? { if case .bool(let b)? = recipe.value(path) { b } else { nil } }
    guard let taskBlock = recipe.blocks(in: .task).first else { throw refuse("the recipe names no task") }
    let name = taskBlock.decl.name
    do {
      switch name {
      case "arithmetic":
        var operations: [Character] = ["+"]
        if case .list(let items)? = recipe.value("task.arithmetic.operations") {
          operations = items.compactMap { if case .string(let s) = $0 { s.first } else { nil } }
        }
        return try ArithmeticTask(digits: try int("task.arithmetic.digits"), operations: operations)
      case "countdown":
        return try CountdownTask(numbers: try int("task.countdown.numbers"), maxTarget: try int("task.countdown.max_target"))
      case "sorting":
        return try SortingTask(length: try int("task.sorting.length"), alphabet: try int("task.sorting.alphabet"),
                               partialCredit: bool("task.sorting.partial_credit") ?? false)
      case "jsonl":
        guard let path = string("task.jsonl.path") else { throw refuse("task.jsonl.path must be set") }
        let base = URL(fileURLWithPath: recipe.file).deletingLastPathComponent()
        let resolved = path.hasPrefix("/") ? path : base.appendingPathComponent(path).path
        return try JSONLTask(path: resolved, promptKey: string("task.jsonl.prompt_key") ?? "prompt",
                             answerKey: string("task.jsonl.answer_key"))
      default:
        throw refuse("'run' trains the token tasks \(Self.taskNames.sorted().joined(separator: ", ")); '\(name)' is not one")
      }
    } catch let error as RunSetup.Refusal {
      throw error
    } catch {
      throw refuse("\(error)")
    }
  }
}
