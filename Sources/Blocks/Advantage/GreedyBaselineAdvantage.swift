import Diagnostics
import Graph

/// ReMax: the return minus the reward of a greedy response to the same prompt.
///
///     G_t = Σ_{k≥t} r_k      A_t = G_t − R(x, ŷ_greedy)     (not whitened)
///
/// The batch gives the greedy reward per sequence as `baseline_reward` [N].
///
/// - Papers: ReMax, Li et al. 2023 (arXiv:2310.10505).
/// - Matches: verl 0.9.1 `compute_remax_outcome_advantage` (see tests).
public struct GreedyBaselineAdvantage: AdvantageEstimator {
  public static var declaration: BlockDecl { .remax }
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) { span = params.span }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let baseline = try batch.input(.baselineReward, neededBy: "remax", at: span)
    let g = batch.graph
    let returns = g.masked(linearScan(input.tokenRewards, decay: batch.builder.full(1, batch.mask.shape), axis: 1, reverse: true))
    return AdvantageOutput(advantages: g.masked(returns - g.toTokens(baseline)), returns: returns)
  }
}
