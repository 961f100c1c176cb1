import Diagnostics
import Graph

/// REINFORCE++: the token-level discounted return of the token rewards (outcome reward on
/// the last token, minus the per-token KL when `kl.in: reward`), whitened over the batch.
///
///     G_t = r_t + γ·mask_{t+1}·G_{t+1}        (the running return resets after each sequence)
///     A   = (G − mean(G))·rsqrt(var(G) + eps)  over all real tokens, var unbiased
///
/// `returns` are G before whitening. No critic, no group.
///
/// - Papers: REINFORCE++, Hu 2025 (arXiv:2501.03262).
/// - Matches: verl 0.9.1 `compute_reinforce_plus_plus_outcome_advantage` (see tests).
public struct WhitenedReturnAdvantage: AdvantageEstimator {
  public static var declaration: BlockDecl { .reinforcePP }
  public var gamma: Double
  public var epsilon: Double

  public init(_ params: BlockParams) throws(CompileError) {
    gamma = try params.number("gamma")
    epsilon = try params.number("eps")
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let g = batch.graph
    let returns = g.masked(linearScan(input.tokenRewards, decay: Float(gamma) * g.shiftedLeft(batch.mask), axis: 1, reverse: true))
    return AdvantageOutput(advantages: g.whiten(returns, eps: epsilon), returns: returns)
  }
}
