import Diagnostics
import Graph

/// Whitens any advantage over all real tokens of the batch (an `advantage.then` modifier).
///
///     A' = (A − mean(A))·rsqrt(var(A) + eps)     var unbiased; `shift: false` adds the mean back
///
/// `ewma: β` whitens with running statistics instead (PPO-EWMA): exponentially weighted
/// moments over the batches so far, each batch's weight decayed by β per batch (Runtime's
/// `EWMAMoments`, which the trainer holds). `eval` sees one batch — the first of a run —
/// whose running statistics are its own, so there `ewma` gives the plain batch numbers.
///
/// - Papers: PPO (arXiv:1707.06347); REINFORCE++ (arXiv:2501.03262); PPO-EWMA, Hilton et al.
///   2021 (arXiv:2110.00641, EWMA advantage normalization).
/// - Matches: verl `masked_whiten`.
public struct BatchWhitening: AdvantageModifier {
  public static var declaration: BlockDecl { .batchNorm }
  public var shifts: Bool
  public var epsilon: Double
  /// The decay β of running statistics across batches; `nil` uses each batch's own.
  public var decay: Double?

  public init(_ params: BlockParams) throws(CompileError) {
    shifts = try params.bool("shift")
    epsilon = try params.number("eps")
    decay = try params.optionalNumber("ewma")
  }

  /// One batch: its own statistics, which are also the running ones after a first batch.
  public func apply(to advantages: Value, batch: PolicyBatch) throws(CompileError) -> Value {
    batch.graph.whiten(advantages, eps: epsilon, shift: shifts)
  }
}
