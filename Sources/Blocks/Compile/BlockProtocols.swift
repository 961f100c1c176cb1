import Graph

/// What every advantage estimator reads: per-token rewards and each sequence's score.
public struct AdvantageInput {
  /// `[N, T]`: `token_reward` if the batch has it, else the outcome `reward` on each row's
  /// last real token; minus `coef·KL(old ‖ ref)` per token when `kl.in` is `reward`.
  public var tokenRewards: Value
  /// `[N]`: Σ over real tokens of `tokenRewards` (verl's `scores`; the `reward` itself when
  /// there is no token reward and no KL in the reward).
  public var scores: Value
}

/// What an advantage estimator produces.
public struct AdvantageOutput {
  /// `[N, T]`, 0 at masked positions.
  public var advantages: Value
  /// `[N, T]` for estimators that define returns (`gae`, `returns`, `reinforce_pp`, `remax`).
  public var returns: Value?

  public init(advantages: Value, returns: Value? = nil) {
    self.advantages = advantages
    self.returns = returns
  }
}

/// An `advantage:` block: rewards (and values) in, advantages out. No gradient flows
/// through advantages: the compiler stops it.
public protocol AdvantageEstimator: Sendable {
  /// The block's one declaration (name, parameters, defaults, papers).
  static var declaration: BlockDecl { get }
  init(_ params: BlockParams) throws(CompileError)
  func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput
}

/// An `advantage.then` block: advantages in, advantages out.
public protocol AdvantageModifier: Sendable {
  static var declaration: BlockDecl { get }
  init(_ params: BlockParams) throws(CompileError)
  func apply(to advantages: Value, batch: PolicyBatch) throws(CompileError) -> Value
}

/// What a per-token policy loss reads.
public struct PolicyLossInput {
  /// `[N, T]` importance ratio from the `ratio` slot.
  public var ratio: Value
  /// `[N, T]` advantages (no gradient).
  public var advantages: Value
  /// `[N, T]` current log-probabilities (the differentiated input), 0 where masked.
  public var logp: Value
  /// `[N, T]` returns, when the advantage estimator defines them.
  public var returns: Value?
  /// Whether `ratio` is one value per response on all its tokens (`ratio: sequence`,
  /// `sequence_token`, `product`): a clip then decides once per response, not per token.
  public var ratioIsPerSequence = false
}

/// The term that replaces or forms the surrogate: a per-token loss ℓ[i, t] (minimized),
/// aggregated by the `aggregate` slot. `clip`, `cispo`, the plain importance-weighted
/// surrogate and the structural rules (`a2c`, `ppo_penalty`, `trpo`, `mdpo`) are policy losses.
public protocol PolicyLoss: Sendable {
  func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) throws(CompileError) -> Value
  /// A KL term the rule carries itself (`ppo_penalty`, `trpo`, `mdpo`): the per-token
  /// estimate and its coefficient in the loss (0 for a constraint that is only reported).
  func penalty(batch: PolicyBatch) -> (estimate: Value, coefficient: Double)?
  /// The shares of the rule's clipping decisions that clipped, computed on the ratio it
  /// clips (`clip_frac_low`, `clip_frac_high`, …; see `ClipFraction`): stop-gradient
  /// scalars, reported as the program's `terms.<name>` outputs. Rules that clip nothing
  /// report none.
  func clipFractions(_ input: PolicyLossInput, batch: PolicyBatch) -> [(name: String, value: Value)]
}

extension PolicyLoss {
  public func penalty(batch: PolicyBatch) -> (estimate: Value, coefficient: Double)? { nil }
  public func clipFractions(_ input: PolicyLossInput, batch: PolicyBatch) -> [(name: String, value: Value)] { [] }
}
