import Diagnostics
import Graph

/// Generalized advantage estimation with a learned critic: a backward scan over tokens.
///
///     δ_t = r_t + γ·V_next(t) − V_t
///     A_t = δ_t + γλ·A_next(t)          returns_t = A_t + V_t (before whitening)
///
/// Masked positions carry the running `V_next` and `A_next` through (verl skips them), so
/// "next" is the next real token. `normalize: batch` whitens over all real tokens of the
/// batch, `(A − mean)·rsqrt(var + 1e-8)` with unbiased var; in `eval` the batch is one
/// minibatch, so `minibatch` (CleanRL) gives the same numbers; `none` keeps A.
/// Truncation vs termination (`bootstrap_truncated`) and `critic` matter only in training.
///
/// - Papers: GAE, Schulman et al. 2015 (arXiv:1506.02438); PPO (arXiv:1707.06347).
/// - Matches: verl 0.9.1 `compute_gae_advantage_return` (see tests).
public struct GeneralizedAdvantageEstimation: AdvantageEstimator {
  public static var declaration: BlockDecl { .gae }
  public enum Normalization: String, Sendable { case none, batch, minibatch }
  public var gamma: Double
  public var lambda: Double
  public var normalization: Normalization
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    gamma = try params.number("gamma")
    lambda = try params.number("lambda")
    normalization = try params.choice("normalize")
    span = params.span
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let values = try batch.input(.values, neededBy: "gae", at: span)
    let g = batch.graph, mask = batch.mask
    let skip = 1 - mask
    // V of the next real token: carried backwards through masked positions.
    let nextValues = g.shiftedLeft(linearScan(values, decay: skip, axis: 1, reverse: true))
    let delta = g.masked(input.tokenRewards + Float(gamma) * nextValues - values)
    let advantages = linearScan(delta, decay: mask * Float(gamma * lambda) + skip, axis: 1, reverse: true)
    let returns = g.masked(advantages + values)
    let normalized = normalization == .none ? g.masked(advantages) : g.whiten(advantages, eps: 1e-8)
    return AdvantageOutput(advantages: normalized, returns: returns)
  }
}
