import Diagnostics
import Graph

/// Truncated importance sampling for a sampler/trainer mismatch: a detached per-token
/// weight multiplied into the policy loss.
///
///     w_t = min(exp(old_logp_t − rollout_logp_t), cap)
///
/// The batch gives the sampler's log-probabilities as `rollout_logp`; without it the
/// sampler is the behaviour policy and w ≡ 1.
///
/// - Papers: RePO, 2025; verl `tis_imp_ratio_cap`.
public struct TruncatedImportanceWeight: Sendable {
  public static var declaration: BlockDecl { .tis }
  public var cap: Double

  public init(_ params: BlockParams) throws(CompileError) {
    cap = try params.number("cap")
  }

  /// `[N, T]` weights, or `nil` when the batch has no `rollout_logp` (w ≡ 1).
  public func weights(batch: PolicyBatch) -> Value? {
    guard batch.has(.rolloutLogp) else { return nil }
    let logWeight = batch[.oldLogp] - batch[.rolloutLogp]
    return stopGradient(batch.graph.masked(min(exp(clip(logWeight, -20, 20)), Float(cap))))
  }
}
