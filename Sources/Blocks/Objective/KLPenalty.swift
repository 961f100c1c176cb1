import Diagnostics
import Graph

/// Penalty keeping the policy near the reference (or the behaviour) policy, per token,
/// with d = logp − ref:
///
///     k1 = d      abs = |d|      k2 = ½·d²
///     k3 = e^x − x − 1 with x = clamp(−d, −20, 20), the value clamped to [−10, 10]
///
/// `in: loss` adds `coef·aggregate(k)` to the loss (aggregated with the policy loss's mode);
/// `in: reward` subtracts `coef·k(old_logp, ref_logp)` from each token reward, fixed at
/// rollout. `straight_through` keeps k's value with k2's gradient (k3's own gradient is
/// biased as a loss term). `full` needs whole distributions, which a batch of sampled-token
/// log-probabilities does not carry. The adaptive controller runs in training; eval uses `coef`.
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

  public init(_ params: BlockParams) throws(CompileError) {
    estimator = try params.choice("estimator")
    coefficient = try params.number("coef")
    placement = try params.choice("in")
    isAgainstOld = try params.word("against") == "old"
    isStraightThrough = try params.bool("straight_through")
    if case .list(let bounds)? = try params.value("clamp"), bounds.count == 2, let low = bounds[0].number, let high = bounds[1].number {
      clamp = (low, high)
    }
    if estimator == .full {
      throw CompileError("kl.estimator: full needs the whole token distributions; a batch has the sampled tokens' log-probs only",
                         at: params.span, help: ["use k1, k2, k3 or abs"])
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
    case .k2, .full: k = half
    case .k3:
      // NOTE: verl low_var_kl clamps the exponent and the estimate so Float stays finite.
      let x = clip(-d, -20, 20)
      k = clip(exp(x) - x - 1, -10, 10)
    }
    if let clamp { k = clip(k, Float(clamp.low), Float(clamp.high)) }
    if isStraightThrough { k = half + stopGradient(k - half) }
    return batch.graph.masked(k)
  }

  /// The per-token KL of the loss form: current policy against the reference (or old).
  public func lossEstimate(batch: PolicyBatch) -> Value {
    estimate(batch[.logp], isAgainstOld ? batch[.oldLogp] : batch[.refLogp], batch: batch)
  }

  /// The per-token KL of the reward form, fixed at rollout: behaviour policy against the reference.
  public func rewardEstimate(batch: PolicyBatch) -> Value {
    stopGradient(estimate(batch[.oldLogp], batch[.refLogp], batch: batch))
  }
}
