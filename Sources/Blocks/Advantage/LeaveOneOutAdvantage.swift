import Diagnostics
import Graph

/// Leave-one-out baseline: each reward minus the mean of the others in its group, on every
/// token of the response.
///
///     A_i = R_i − (1/(G−1)) Σ_{j≠i} R_j = G/(G−1) · (R_i − mean(R_g))
///
/// A group of one keeps its raw reward. Written in the expression language (`Prelude.rloo`).
///
/// - Papers: Back to Basics (RLOO), Ahmadian et al. 2024 (arXiv:2402.14740).
/// - Matches: verl 0.9.1 `compute_rloo_outcome_advantage` (see tests).
public struct LeaveOneOutAdvantage: AdvantageEstimator {
  public static var declaration: BlockDecl { .rloo }
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) { span = params.span }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let perSequence = try Prelude.lower("rloo", batch: batch, reward: input.scores, parameters: [:], span: span)
    return AdvantageOutput(advantages: batch.graph.masked(perSequence))
  }
}
