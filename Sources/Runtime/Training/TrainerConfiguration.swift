/// Everything one training run needs: the recipe's `rollout`, `advantage` (gae),
/// `objective` (its blocks, `objective`, and their numbers), `optimizer` (adam), `schedule`
/// and `train` values after resolution. `porecipe run` fills it from the recipe's compiled
/// blocks; the defaults are CleanRL's `ppo.py` (and `recipes/ppo.yaml`).
public struct TrainerConfiguration: Sendable, Hashable, Codable {
  /// Parallel environments N (`rollout.envs`).
  public var envs = 4
  /// Steps per environment per rollout T (`rollout.steps`).
  public var steps = 128
  /// Environment steps in all (`train.total_steps`); iterations = total / (N·T), rounded down.
  public var totalSteps = 500_000
  /// Passes over each rollout (`train.epochs`).
  public var epochs = 4
  /// Minibatches per epoch (`train.minibatches`); must divide N·T.
  public var minibatches = 4
  /// The one seed (`train.seed`): forked into init, environments, sampling and shuffling.
  public var seed: UInt64 = 1
  /// Stop an iteration's epochs once an epoch's last minibatch has approx_kl above this.
  public var targetKL: Double?

  /// γ and λ of `advantage.gae`.
  public var gamma = 0.99
  public var lambda = 0.95
  /// Whiten advantages per minibatch (`normalize: minibatch`) or over the rollout (`batch`).
  public enum Normalization: String, Sendable, Hashable, Codable { case none, batch, minibatch }
  public var normalization = Normalization.minibatch
  /// At a time-limit truncation bootstrap with V(s_T) (`gae.bootstrap_truncated`).
  public var bootstrapTruncated = true

  /// The policy term of the loss: PPO's surrogate (`clip`, or the plain ratio when
  /// `clipLow` is nil), A2C's ratio-free −A·logπ (`a2c`), or PPO's adaptive-KL variant
  /// −ρ·A + β·KL(π_old ‖ π) with the k3 estimate (`ppo_penalty`), or on-policy MDPO's
  /// −ρ·A + (1/t_k)·KL(π ‖ π_k) with the ρ·log ρ estimate (`mdpo`), or TRPO's natural-gradient
  /// step under a KL trust region (`trpo`: `TrustRegionStep`; the epochs × minibatches fit
  /// only the critic).
  public enum PolicyTerm: String, Sendable, Hashable, Codable { case surrogate, a2c, ppoPenalty = "ppo_penalty", mdpo, trpo }
  public var policyTerm = PolicyTerm.surrogate
  /// `objective.mdpo.schedule`: t_k = 1 − k/K annealed over the iterations (`linear_anneal`),
  /// or t_k = 1 throughout (`constant`).
  public var mdpoAnneal = true
  /// `objective.ppo_penalty`: the KL target d_targ and the first β.
  public var klTarget = 0.01
  public var klCoefficientInit = 1.0
  /// `objective.trpo`'s settings (used when `policyTerm` is `.trpo`).
  public var trustRegion = TrustRegionStep.Settings()

  /// The recipe's `advantage` and `objective` blocks, which the trainer compiles into its
  /// minibatch update (`porecipe run` sets it; the numbers below still say which rule runs,
  /// `policyTerm`, and identify the run in a checkpoint). Nil compiles the blocks the numbers
  /// name (`objectiveRecipe()`).
  public var objective: TrainerObjective?
  /// `objective.clip`: the ratio is clipped to [1 − low, 1 + high]; nil means no clipping.
  public var clipLow: Double? = 0.2
  public var clipHigh: Double? = 0.2
  /// `objective.value`: coefficient, and the clip range when `loss: clipped` (nil: mse).
  public var valueCoefficient = 0.5
  public var valueClip: Double? = 0.2
  /// `objective.entropy.coef` (0 without the block).
  public var entropyCoefficient = 0.01

  /// `optimizer.adam`.
  public var learningRate = 2.5e-4
  public var adamBeta1 = 0.9
  public var adamBeta2 = 0.999
  public var adamEps = 1e-5
  /// Global gradient-norm clip (`grad_clip`); nil means none.
  public var gradClip: Double? = 0.5
  /// `schedule.lr.linear.to`: the rate is annealed per iteration toward it (CleanRL); nil
  /// means a constant rate.
  public var annealTo: Double? = 0

  /// `policy.mlp`.
  public var hidden = [64, 64]
  public var activation = ActorCritic.Activation.tanh
  /// `policy.mlp.log_std_init`: the Gaussian head's initial log std.
  public var initialLogStd = 0.0
  /// `policy.mlp.exploration: state_dependent`: gSDE for a Gaussian head, its noise matrices
  /// redrawn at the start of each rollout and every `sdeSampleFrequency` steps (0: only at
  /// the start), as SB3's `use_sde` / `sde_sample_freq`.
  public var stateDependentExploration = false
  public var sdeSampleFrequency = 0

  /// `rollout.normalize`: normalize observations and scale rewards by the running std of
  /// the discounted return (`VectorNormalization`, SB3's `VecNormalize`), clipping both to
  /// ±`normalizationClip`.
  public var normalizesObservations = false
  public var scalesRewards = false
  public var normalizationClip = 10.0

  public init() {}

  /// N·T, the env steps of one iteration.
  public var batchSize: Int { envs * steps }
  /// The rows of one minibatch.
  public var minibatchSize: Int { batchSize / Swift.max(minibatches, 1) }
  /// Whether the policy term has a KL weight (`kl_coef`): `ppo_penalty`'s β, `mdpo`'s 1/t_k.
  public var usesKLCoefficient: Bool { policyTerm == .ppoPenalty || policyTerm == .mdpo }
  /// Iterations of the run.
  public var iterations: Int { totalSteps / Swift.max(batchSize, 1) }

  /// Checks the shape of the run before anything is built.
  /// - Throws: `RuntimeError.invalidConfiguration`.
  public func validate() throws(RuntimeError) {
    func fail(_ reason: String) -> RuntimeError { .invalidConfiguration(reason: reason) }
    guard envs > 0, steps > 0 else { throw fail("rollout.envs and rollout.steps must be positive") }
    guard epochs > 0, minibatches > 0 else { throw fail("train.epochs and train.minibatches must be positive") }
    guard batchSize % minibatches == 0 else {
      throw fail("train.minibatches (\(minibatches)) must divide rollout.envs × rollout.steps (\(batchSize))")
    }
    guard minibatchSize >= 2 || normalization != .minibatch else {
      throw fail("advantage normalization per minibatch needs at least 2 rows per minibatch, got \(minibatchSize)")
    }
    if policyTerm == .ppoPenalty {
      guard klTarget > 0, klCoefficientInit > 0 else { throw fail("objective.ppo_penalty.target and .beta_init must be positive") }
    }
    guard normalizationClip > 0, initialLogStd.isFinite else { throw fail("rollout.normalize.clip must be positive and policy.mlp.log_std_init finite") }
    guard sdeSampleFrequency >= 0 else { throw fail("policy.mlp.sde_sample_freq must not be negative") }
    if policyTerm == .trpo {
      guard !stateDependentExploration else { throw fail("trpo with policy.mlp.exploration: state_dependent is not supported yet") }
      let t = trustRegion
      guard t.maxKL > 0, t.conjugateGradientIterations > 0, t.damping >= 0, t.backtrack > 0, t.backtrack < 1, t.maxBacktracks > 0 else {
        throw fail("objective.trpo: max_kl, cg_iters and max_backtracks must be positive, damping non-negative, backtrack in (0, 1)")
      }
    }
    guard totalSteps >= batchSize else {
      throw fail("train.total_steps (\(totalSteps)) is less than one rollout of \(batchSize) env steps")
    }
  }
}

extension ActorCritic.Activation: Codable {}

extension TrainerConfiguration {
  /// Decodes a configuration; a key it lacks keeps its default (nil for optional settings), so `state.json` of a
  /// checkpoint written before a setting existed (e.g. `policyTerm`) still reads.
  public init(from decoder: any Decoder) throws {
    self.init()
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func read<T: Decodable>(_ key: CodingKeys, _ value: inout T) throws {
      if let x = try c.decodeIfPresent(T.self, forKey: key) { value = x }
    }
    // Optional settings are encoded only when set: absent means nil.
    func readOptional<T: Decodable>(_ key: CodingKeys, _ value: inout T?) throws {
      value = try c.decodeIfPresent(T.self, forKey: key)
    }
    try read(.envs, &envs); try read(.steps, &steps); try read(.totalSteps, &totalSteps)
    try read(.epochs, &epochs); try read(.minibatches, &minibatches); try read(.seed, &seed)
    try readOptional(.targetKL, &targetKL)
    try read(.gamma, &gamma); try read(.lambda, &lambda); try read(.normalization, &normalization)
    try read(.bootstrapTruncated, &bootstrapTruncated)
    try read(.policyTerm, &policyTerm); try read(.klTarget, &klTarget); try read(.klCoefficientInit, &klCoefficientInit)
    try read(.mdpoAnneal, &mdpoAnneal); try read(.trustRegion, &trustRegion)
    try readOptional(.objective, &objective)
    try readOptional(.clipLow, &clipLow); try readOptional(.clipHigh, &clipHigh)
    try read(.valueCoefficient, &valueCoefficient); try readOptional(.valueClip, &valueClip)
    try read(.entropyCoefficient, &entropyCoefficient)
    try read(.learningRate, &learningRate); try read(.adamBeta1, &adamBeta1); try read(.adamBeta2, &adamBeta2)
    try read(.adamEps, &adamEps); try readOptional(.gradClip, &gradClip); try readOptional(.annealTo, &annealTo)
    try read(.hidden, &hidden); try read(.activation, &activation); try read(.initialLogStd, &initialLogStd)
    try read(.stateDependentExploration, &stateDependentExploration); try read(.sdeSampleFrequency, &sdeSampleFrequency)
    try read(.normalizesObservations, &normalizesObservations); try read(.scalesRewards, &scalesRewards)
    try read(.normalizationClip, &normalizationClip)
  }
}
