/// Everything a token-task run needs besides its objective, as plain numbers: the recipe's
/// `policy`, `rollout`, `filter`, `optimizer`, `schedule` and `train` values after
/// resolution. `porecipe run` fills it from the recipe; the objective itself (advantage,
/// ratio, clip, KL, aggregation) comes compiled from the recipe's blocks (`PolicyRecipe`).
///
/// The defaults are `recipes/grpo.yaml`'s: 32 prompts × 8 samples, Adam 2e-4, two
/// minibatches per iteration.
public struct TokenTrainerConfiguration: Sendable, Hashable, Codable {
  /// The transformer (`policy.transformer`).
  public var policy = TransformerConfiguration()

  /// Prompts per batch (`rollout.prompts`) and samples per prompt (`rollout.group`).
  public var prompts = 32
  public var group = 8
  /// Longest response in tokens, EOS included (`rollout.max_tokens`).
  public var maxTokens = 16
  /// Sampling (`rollout.temperature`, `top_k`, `top_p`).
  public var temperature = 1.0
  public var topK = 0
  public var topP = 1.0

  /// Rollout-and-update iterations (`train.iterations`).
  public var iterations = 300
  /// Passes over each batch (`train.epochs`) and optimizer steps per pass (`train.minibatches`).
  public var epochs = 1
  public var minibatches = 2
  /// The one seed (`train.seed`).
  public var seed: UInt64 = 0
  /// Held-out evaluation every n iterations (`train.eval_every`); 0: only at the end.
  public var evalEvery = 25

  /// The optimizer (`optimizer.adam` or `optimizer.adamw`).
  public var learningRate = 2e-4
  public var adamBeta1 = 0.9
  public var adamBeta2 = 0.999
  public var adamEps = 1e-8
  /// Decoupled weight decay (AdamW); nil means Adam.
  public var weightDecay: Double?
  /// Global gradient-norm clip; nil means none.
  public var gradClip: Double?
  /// `schedule.lr.linear.to`: the rate moves linearly to this over the iterations; nil: constant.
  public var annealTo: Double?

  /// `policy.warm_start.sft`: the supervised stage before RL; nil starts from the initialization.
  public var warmStart: WarmStartConfiguration?

  /// `filter.dynamic_sampling` (DAPO): keep groups with mixed outcomes, sample again until
  /// `minGroups` are kept or `maxRounds` rounds have run.
  public struct DynamicSampling: Sendable, Hashable, Codable {
    public var byRewardStd = false
    public var maxRounds = 8
    public var minGroups = 32
    public init(byRewardStd: Bool = false, maxRounds: Int = 8, minGroups: Int = 32) {
      (self.byRewardStd, self.maxRounds, self.minGroups) = (byRewardStd, maxRounds, minGroups)
    }
  }
  public var dynamicSampling: DynamicSampling?
  /// `filter.cppo_prune.keep` (CPPO): the share of each group kept, by |advantage|.
  public var cppoKeep: Double?
  /// `filter.replay` (RePO-style): stored responses (per prompt, or in all) and how many
  /// take the place of fresh samples in each group.
  public struct Replay: Sendable, Hashable, Codable {
    public var capacity: Int
    public var samples: Int
    public var onlyWhenAllFail: Bool
    public var perPrompt = true
    public var strategy = ReplayBuffer.Strategy.recent
    public init(capacity: Int, samples: Int, onlyWhenAllFail: Bool, perPrompt: Bool = true, strategy: ReplayBuffer.Strategy = .recent) {
      (self.capacity, self.samples, self.onlyWhenAllFail, self.perPrompt, self.strategy) = (capacity, samples, onlyWhenAllFail, perPrompt, strategy)
    }
  }
  public var replay: Replay?
  /// `objective.kl.adaptive`: the controller's target KL and horizon (Ziegler et al.).
  public var klTarget: Double?
  public var klHorizon = 10_000

  public init() {}

  /// Rows of one rollout batch.
  public var rows: Int { prompts * group }
  /// Rows per minibatch: whole groups, `prompts / minibatches` of them.
  public var minibatchRows: Int { rows / minibatches }

  /// The rows of minibatch `m` when the epoch visits the groups in `groupOrder` (a
  /// permutation of `0..<prompts`): its share of the groups, each group's rows in order.
  ///
  /// A minibatch holds whole groups, so a formula's group statistics (`mean(reward, over:
  /// group)`, `group_size`) mean in each update what they mean in `porecipe eval` on the
  /// batch. Statistics over `batch` are the minibatch's, as the loss aggregation is.
  public func minibatchRows(_ m: Int, groupOrder: [Int]) -> [Int] {
    let groups = prompts / minibatches
    return groupOrder[(m * groups)..<((m + 1) * groups)].flatMap { ($0 * group)..<(($0 + 1) * group) }
  }

  /// Checks what the trainer cannot run.
  public func validate() throws(RuntimeError) {
    func fail(_ reason: String) -> RuntimeError { .invalidConfiguration(reason: reason) }
    try policy.validate()
    guard prompts >= 1, group >= 1, maxTokens >= 1 else { throw fail("rollout.prompts, group and max_tokens must be at least 1") }
    guard iterations >= 1, epochs >= 1, minibatches >= 1 else { throw fail("train.iterations, epochs and minibatches must be at least 1") }
    guard rows % minibatches == 0 else {
      throw fail("train.minibatches (\(minibatches)) must divide the batch of rollout.prompts × rollout.group = \(rows) responses")
    }
    guard temperature > 0, topK >= 0, topP > 0, topP <= 1 else { throw fail("rollout.temperature must be > 0, top_k ≥ 0, 0 < top_p ≤ 1") }
    if let keep = cppoKeep, !(keep > 0 && keep <= 1) { throw fail("filter.cppo_prune.keep must be in (0, 1]") }
    if let replay, replay.samples >= group { throw fail("filter.replay.off_samples (\(replay.samples)) must be below rollout.group (\(group))") }
  }
}

/// `policy.warm_start.sft`: supervised training on the task's known solutions until greedy
/// answers on a validation slice of the train split reach `untilAccuracy`, or `maxSteps`.
public struct WarmStartConfiguration: Sendable, Hashable, Codable {
  public var untilAccuracy: Double
  public var maxSteps = 2000
  public var learningRate = 5e-4
  /// Sequences per supervised step.
  public var batch = 64
  /// Validation every n steps, on `validation` problems of the train split.
  public var checkEvery = 25
  public var validation = 256

  public init(untilAccuracy: Double, maxSteps: Int = 2000, learningRate: Double = 5e-4) {
    (self.untilAccuracy, self.maxSteps, self.learningRate) = (untilAccuracy, maxSteps, learningRate)
  }
}
