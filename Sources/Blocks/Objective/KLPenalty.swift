import Diagnostics
import Graph

/// Penalty keeping the policy near the reference (or the behaviour) policy, per token,
/// with d = logp − ref:
///
///     k1 = d      abs = |d|      k2 = ½·d²
///     k3 = e^x − x − 1 with x = clamp(−d, −20, 20), the value clamped to [−10, 10]
///
///     full = Σ_v π(v)·(log π(v) − log π_ref(v))     exact, over the vocabulary, per position
///
/// `in: loss` adds `coef·aggregate(k)` to the loss (aggregated with the policy loss's mode);
/// `in: reward` subtracts `coef·k(old_logp, ref_logp)` from each token reward, fixed at
/// rollout. `straight_through` keeps k's value with k2's gradient (k3's own gradient is
/// biased as a loss term). `full` reads whole distributions, `[N, T, V]` log-probabilities:
/// `logp_full` (π, differentiated) against `ref_logp_full` (or `old_logp_full` with
/// `against: old`) in the loss, `old_logp_full` against `ref_logp_full` in the reward. Its
/// gradient with respect to `logp_full` treats each log π(v) as free,
/// π(v)·(log π(v) − log π_ref(v) + 1); chained through a log-softmax it becomes
/// π(v)·(log π(v) − log π_ref(v) − KL), the exact gradient. The adaptive controller runs in
/// training (Runtime's `AdaptiveKLController`); eval uses `coef`.
///
/// - Papers: GRPO (k3 in the loss); RLOO, REINFORCE++ (k1 in the reward); Ziegler et al.
///   2019 (arXiv:1909.08593, adaptive coefficient).
/// - Matches: verl 0.9.1 `kl_penalty` (`kl`, `abs`, `mse`, `low_var_kl`) (see tests).
public struct KLPenalty: Sendable {
  public static var declaration: BlockDecl { .kl }
  public enum Estimator: String, Sendable { case k1, k2, k3, abs, full }
  public enum Placement: String, Sendable { case loss, reward }
  public var estimator: Estimator
  public var coefficient: Double
  public var placement: Placement
  /// Measure against the behaviour policy instead of the reference.
  public var isAgainstOld: Bool
  public var clamp: (low: Double, high: Double)?
  public var isStraightThrough: Bool
  /// Where the block was written, for errors about the batch it needs.
  public var span: SourceSpan?
  /// `adaptive: {target, horizon}`: the coefficient steered towards a KL target in training
  /// (Runtime's `AdaptiveKLController(initial: coefficient, target:, horizon:)`); `nil` keeps `coef` fixed.
  public var adaptive: Adaptive?

  /// The adaptive controller's settings (Ziegler et al. 2019).
  public struct Adaptive: Sendable, Equatable {
    /// The KL the coefficient steers towards.
    public var target: Double
    /// Samples (or steps) over which a full ±20% correction accumulates.
    public var horizon: Int

    public init(target: Double, horizon: Int) { (self.target, self.horizon) = (target, horizon) }
  }

  public init(_ params: BlockParams) throws(CompileError) {
    span = params.span
    if let target = try params.optionalNumber("adaptive.target") {
      adaptive = Adaptive(target: target, horizon: Int(try params.number("adaptive.horizon")))
    }
    estimator = try params.choice("estimator")
    coefficient = try params.number("coef")
    placement = try params.choice("in")
    isAgainstOld = try params.word("against") == "old"
    isStraightThrough = try params.bool("straight_through")
    if case .list(let bounds)? = try params.value("clamp"), bounds.count == 2, let low = bounds[0].number, let high = bounds[1].number {
      clamp = (low, high)
    }
    if estimator == .full && isStraightThrough {
      throw CompileError("kl.straight_through has no meaning for estimator: full, whose gradient is already exact",
                         at: params.span, help: ["--set objective.kl.straight_through=false"])
    }
  }

  /// k(logp, reference) per token, `[N, T]` (0 at masked positions).
  public func estimate(_ logp: Value, _ reference: Value, batch: PolicyBatch) -> Value {
    let d = logp - reference
    let half = 0.5 * square(d)
    var k: Value
    switch estimator {
    case .k1: k = d
    case .abs: k = abs(d)
    case .k2: k = half
    case .full:
      preconditionFailure("kl.estimator: full reads whole distributions; use fullEstimate")
    case .k3:
      // NOTE: verl low_var_kl clamps the exponent and the estimate so Float stays finite.
      let x = clip(-d, -20, 20)
      k = clip(exp(x) - x - 1, -10, 10)
    }
    if let clamp { k = clip(k, Float(clamp.low), Float(clamp.high)) }
    if isStraightThrough { k = half + stopGradient(k - half) }
    return batch.graph.masked(k)
  }

  /// The exact KL per position, `[N, T]` (0 at masked positions), from log-probabilities
  /// over the vocabulary, `[N, T, V]`: Σ_v e^{logp(v)}·(logp(v) − reference(v)).
  public func fullEstimate(_ logp: Value, _ reference: Value, batch: PolicyBatch) -> Value {
    var k = (exp(logp) * (logp - reference)).sum(axis: 2)
    if let clamp { k = clip(k, Float(clamp.low), Float(clamp.high)) }
    return batch.graph.masked(k)
  }

  /// The per-token KL of the loss form: current policy against the reference (or old).
  public func lossEstimate(batch: PolicyBatch) throws(CompileError) -> Value {
    guard estimator == .full else { return estimate(batch[.logp], isAgainstOld ? batch[.oldLogp] : batch[.refLogp], batch: batch) }
    let what = "kl.estimator: full"
    return fullEstimate(try batch.input(.logpFull, neededBy: what, at: span),
                        try batch.input(isAgainstOld ? .oldLogpFull : .refLogpFull, neededBy: what, at: span), batch: batch)
  }

  /// The per-token KL of the reward form, fixed at rollout: behaviour policy against the reference.
  public func rewardEstimate(batch: PolicyBatch) throws(CompileError) -> Value {
    guard estimator == .full else { return stopGradient(estimate(batch[.oldLogp], batch[.refLogp], batch: batch)) }
    let what = "kl.estimator: full with in: reward"
    return stopGradient(fullEstimate(try batch.input(.oldLogpFull, neededBy: what, at: span),
                                     try batch.input(.refLogpFull, neededBy: what, at: span), batch: batch))
  }

  /// Whether the loss is differentiated with respect to `logp_full` (`grad_logp_full`).
  public var differentiatesFullDistribution: Bool { estimator == .full && placement == .loss }
}
