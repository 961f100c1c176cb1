import Diagnostics
import Graph

/// REINFORCE++-baseline: each sequence's score minus its group's mean, on every token,
/// whitened over all real tokens of the batch.
///
///     A_i = R_i − mean(R_g)    (a group of one: mean 0; `Prelude.group_centered`)
///     A'  = (A − mean(A))·rsqrt(var(A) + eps)   over real tokens, var unbiased
///
/// - Papers: REINFORCE++, Hu 2025 (arXiv:2501.03262).
/// - Matches: verl 0.9.1 `compute_reinforce_plus_plus_baseline_outcome_advantage` (see tests).
public struct WhitenedGroupBaselineAdvantage: AdvantageEstimator {
  public static var declaration: BlockDecl { .reinforcePPBaseline }
  public var epsilon: Double
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    epsilon = try params.number("eps")
    span = params.span
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let centered = try Prelude.lower("group_centered", batch: batch, reward: input.scores, parameters: [:], span: span)
    return AdvantageOutput(advantages: batch.graph.whiten(batch.graph.toTokens(centered), eps: epsilon))
  }
}
