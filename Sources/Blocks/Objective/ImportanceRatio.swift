import Diagnostics
import Graph

/// The `ratio` slot: which importance ratio feeds the clipping rule, `[N, T]`.
///
///     token:            ρ_t = exp(clamp(logp_t − old_t, −20, 20))
///     sequence:         log s_i = mean_t(logp − old);  ρ_t = exp(min(logp_t − sg[logp_t] + sg[log s_i], 10))
///     sequence_token:   the same (value sg[s_i], gradient through each token: GSPO-token)
///     product:          ρ_i = exp(clamp(Σ_t (logp − old), −20, 20)) on every token (P3O)
///
/// The clamps are torch.clamp's: no gradient outside the range.
///
/// - Papers: PPO (arXiv:1707.06347); GSPO, Zheng et al. 2025 (arXiv:2507.18071).
/// - Matches: verl 0.9.1 `compute_policy_loss_vanilla` (token) and `compute_policy_loss_gspo` (sequence).
public struct ImportanceRatio: Sendable {
  public static var declaration: BlockDecl { .ratio }
  public enum Mode: String, Sendable { case token, sequence, sequenceToken = "sequence_token", product }
  public var mode: Mode

  public init(_ params: BlockParams) throws(CompileError) {
    mode = try params.choice("mode")
    if try params.word("proximal") != "old" {
      throw CompileError("ratio.proximal: ewma needs the EWMA policy, which exists only in training", at: params.span,
                         help: ["--set objective.ratio.proximal=old"])
    }
  }

  public func emit(batch: PolicyBatch) -> Value {
    let g = batch.graph
    let logp = batch[.logp], logRatio = logp - batch[.oldLogp]
    switch mode {
    case .token:
      // NOTE: clamp the log-ratio to ±20 so exp() stays finite in Float; matches verl.
      return g.masked(exp(clip(logRatio, -20, 20)))
    case .sequence, .sequenceToken:
      let sequenceLog = g.toTokens(stopGradient(g.tokenMean(logRatio)))
      let tokenLog = logp - stopGradient(logp) + sequenceLog
      return g.masked(exp(clip(tokenLog, -Float.greatestFiniteMagnitude, 10)))
    case .product:
      return g.masked(exp(clip(g.toTokens(g.tokenSum(logRatio)), -20, 20)))
    }
  }
}
