import Blocks
import Core
import Foundation
import Graph
import Optim

/// One loop for policy-gradient recipes on token tasks:
///
///     rollout (prompts × group samples from the transformer, KV cache)
///       → reward (the task's verifier and the recipe's shaping terms)
///       → filter (dynamic sampling refills the batch; CPPO prunes by |advantage|)
///       → advantage (the recipe's estimator, compiled, on the whole batch)
///       → epochs × shuffled minibatches: the compiled objective gives d loss / d logp,
///         the transformer's backward pass turns it into parameter gradients, Adam steps
///       → metrics; held-out accuracy of greedy answers every `evalEvery` iterations
///
/// Old and reference log-probabilities are recomputed by the training program (not taken
/// from the sampler), so the first ratio of an on-policy update is exactly 1. One seed: the
/// root `Philox(seed:)` is forked into stream 0 (initialization), 1 (problems), 2
/// (sampling), 3 (minibatch shuffling), 4 (reward noise) and 5 (the warm start).
public final class TokenTrainer {
  public let configuration: TokenTrainerConfiguration
  public let task: any TokenTask
  public let rewards: RewardPipeline
  /// The recipe's compiled advantage and objective blocks.
  public let recipe: PolicyRecipe
  /// The policy's weights, updated in place, and the frozen reference (the warm start).
  public internal(set) var parameters: TransformerParameters
  public internal(set) var reference: TransformerParameters
  /// Iterations completed and responses sampled so far.
  public internal(set) var iteration = 0
  public internal(set) var samples = 0
  /// The supervised stage's result and the held-out accuracy it left; nil without one.
  public internal(set) var warmStart: WarmStart.Result?
  public internal(set) var warmStartEvalAccuracy: Double?
  /// The KL coefficient of the next update (`kl.adaptive` moves it).
  public internal(set) var klCoefficient: Double?
  /// A structural rule's penalty coefficient for the next iteration: `ppo_penalty`'s β
  /// (from `beta_init`, adapted after each iteration) or `mdpo`'s KL weight 1/t_k; nil for
  /// other objectives. It is the update's `penalty_coef` input, logged as `kl_coef`.
  public internal(set) var penaltyCoefficient: Double?
  /// `filter.replay`'s stored responses.
  public internal(set) var replayBuffer: ReplayBuffer?

  /// Seconds spent in each phase of the iterations so far (rollout, compile — the programs
  /// for a response length not seen before —, forward, advantage, update, evaluation), for
  /// `porecipe bench` and profiling.
  public internal(set) var phaseSeconds: [String: Double] = [:]

  var optimizer: any Optimizer
  var problemRNG: Philox, samplingRNG: Philox, shuffleRNG: Philox, rewardRNG: Philox
  let warmStartRNG: Philox
  let sampler: TokenSampler
  /// The transformer program and the compiled objective per response length: a batch is cut
  /// to its longest response, so short answers do not pay for `max_tokens`.
  var stages: [Int: Stage] = [:]
  /// The intermediate values of every stage's programs: they run one at a time, so one
  /// block (the largest stage's) serves them all, and a new stage reuses pages already touched.
  let workspace = Workspace()
  /// The forward pass (old and reference log-probs), the advantage stage and the fused update.
  struct Stage {
    let forward: TransformerProgram
    let advantage: TokenObjective
    let update: TokenUpdateProgram
  }
  public let evaluator: TaskEvaluator
  /// BOS + the task's longest prompt, and `max_tokens`.
  public let promptLength: Int, responseLength: Int
  let usesBaseline: Bool
  /// Whether minibatches are whole groups: when the loss is a formula, which may read group
  /// statistics (`over: group`) and must see what `eval` sees. Other losses are per response,
  /// and their minibatches are shuffled rows (as before, so their runs keep their numbers).
  let groupsMinibatches: Bool

  /// Builds the run: the task's reward stage, the policy (initialized), the sampler, the
  /// compiled objective and the transformer program for one minibatch.
  ///
  /// - Throws: `RuntimeError.invalidConfiguration` for settings the trainer cannot run (a
  ///   prompt plus response longer than the context, minibatches that do not divide the
  ///   prompts, `trpo`), `.graph` when a program cannot be planned.
  /// - Parameter workingDirectory: where an external reward command runs (the recipe's directory).
  public init(task: any TokenTask, rewards: [RewardTerm], recipe: PolicyRecipe,
              configuration: TokenTrainerConfiguration, workingDirectory: String? = nil) throws(RuntimeError) {
    try configuration.validate()
    groupsMinibatches = recipe.policyLoss is ExpressionLoss
    if groupsMinibatches, configuration.prompts % configuration.minibatches != 0 {
      throw .invalidConfiguration(reason: "train.minibatches (\(configuration.minibatches)) must divide rollout.prompts (\(configuration.prompts)): objective.expr's minibatches hold whole groups")
    }
    try task.checkFits(context: configuration.policy.context, maxTokens: configuration.maxTokens)
    self.configuration = configuration
    self.task = task
    promptLength = task.maxPromptLength + 1
    responseLength = configuration.maxTokens
    let context = configuration.policy.context
    guard promptLength + responseLength <= context else {
      throw .invalidConfiguration(reason: "the task's longest prompt (\(task.maxPromptLength) characters + BOS) plus rollout.max_tokens (\(responseLength)) is \(promptLength + responseLength) tokens, longer than policy.transformer.context (\(context))")
    }
    if recipe.value != nil && !configuration.policy.valueHead {
      throw .invalidConfiguration(reason: "objective.value trains a critic: set policy.transformer.value_head: true")
    }
    if recipe.policyLoss is TrustRegionSurrogate { throw .invalidConfiguration(reason: Self.trustRegionRefusal) }
    let root = Philox(seed: configuration.seed)
    var initRNG = root.fork(stream: 0)
    problemRNG = root.fork(stream: 1)
    samplingRNG = root.fork(stream: 2)
    shuffleRNG = root.fork(stream: 3)
    rewardRNG = root.fork(stream: 4)
    warmStartRNG = root.fork(stream: 5)
    parameters = TransformerParameters.initialized(configuration.policy, rng: &initRNG)
    reference = parameters
    self.rewards = try RewardPipeline(task: task, terms: rewards, maxTokens: responseLength, workingDirectory: workingDirectory)
    sampler = try TokenSampler(configuration.policy, rows: configuration.rows, maxPromptLength: promptLength, maxNewTokens: responseLength)
    evaluator = try TaskEvaluator(task: task, policy: configuration.policy, rows: min(256, max(task.heldOut.count, 1)), maxTokens: responseLength)
    usesBaseline = {
      if case .estimator(let estimator) = recipe.advantage { return estimator is GreedyBaselineAdvantage }
      return false
    }()
    self.recipe = recipe
    klCoefficient = recipe.kl?.coefficient
    penaltyCoefficient = Self.initialPenaltyCoefficient(recipe, iteration: 0, of: configuration.iterations)
    replayBuffer = configuration.replay.map { ReplayBuffer(capacity: $0.capacity, perPrompt: $0.perPrompt, strategy: $0.strategy) }
    optimizer = try adamOptimizer(learningRate: configuration.learningRate, betas: (configuration.adamBeta1, configuration.adamBeta2), eps: configuration.adamEps,
                                  weightDecay: configuration.weightDecay)
  }

  public var isFinished: Bool { iteration >= configuration.iterations }

  /// The programs for batches whose longest response has `tokens` tokens.
  func stage(tokens: Int) throws(RuntimeError) -> Stage {
    if let stage = stages[tokens] { return stage }
    let c = configuration
    let present = TokenObjective.present(for: recipe, hasValues: c.policy.valueHead, hasBaseline: usesBaseline)
    let objective = try TokenObjective(recipe: recipe, rows: c.rows, group: c.group, tokens: tokens, present: present)
    if let coefficient = klCoefficient { try objective.setKLCoefficient(coefficient) }
    let stage = Stage(forward: try TransformerProgram(c.policy, rows: c.minibatchRows, promptLength: promptLength, responseLength: tokens,
                                                      workspace: workspace),
                      advantage: objective,
                      update: try TokenUpdateProgram(policy: c.policy, recipe: recipe, rows: c.minibatchRows, group: groupsMinibatches ? c.group : 1,
                                                     promptLength: promptLength, tokens: tokens, present: present, workspace: workspace))
    stages[tokens] = stage
    return stage
  }

  /// The canonical description of what the warm start depends on (its cache key's content).
  public var warmStartDescription: String? {
    guard let warm = configuration.warmStart else { return nil }
    return WarmStartCache.description(task: task, policy: configuration.policy, warmStart: warm, promptLength: promptLength,
                                      responseLength: responseLength, seed: configuration.seed)
  }

  /// Runs the supervised stage (or loads its result from `cache`), makes the result the
  /// reference policy and measures its held-out accuracy. Without a warm start the
  /// initialization is the reference.
  public func runWarmStart(cache: WarmStartCache?) throws(RuntimeError) {
    if let warm = configuration.warmStart, let description = warmStartDescription {
      let key = WarmStartCache.key(description)
      if let cache, let (cached, result) = cache.load(key, configuration: configuration.policy) {
        parameters = cached
        warmStart = result
      } else {
        var rng = warmStartRNG
        // Solutions are short: the supervised program is cut to the longest one (+ EOS).
        let length = min(task.maxSolutionLength + 1, responseLength)
        warmStart = try WarmStart(warm).train(&parameters, task: task, promptLength: promptLength, responseLength: length,
                                              rng: &rng, evaluator: evaluator)
        cache?.store(key, parameters: parameters, result: warmStart!)
      }
    }
    reference = parameters
    warmStartEvalAccuracy = try evaluator.accuracy(parameters, on: task.heldOut)
  }

  /// Held-out accuracy of greedy answers now.
  public func evaluateHeldOut() throws(RuntimeError) -> Double {
    try evaluator.accuracy(parameters, on: task.heldOut)
  }
}
