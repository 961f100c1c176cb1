import Diagnostics
import Graph

/// The `ratio` slot: which importance ratio feeds the clipping rule, `[N, T]`.
///
///     token:            ρ_t = exp(clamp(logp_t − old_t, −20, 20))
///     sequence:         log s_i = mean_t(logp − old);  ρ_t = exp(min(logp_t − sg[logp_t] + sg[log s_i], 10))
///     sequence_token:   the same (value sg[s_i], gradient through each token: GSPO-token)
///     product:          ρ_i = exp(clamp(Σ_t (logp − old), −20, 20)) on every token (P3O)
///
/// `proximal: ewma` (PPO-EWMA, the decoupled objective; token mode) clips against a
/// proximal policy — in training an EWMA of the weights; in `eval` the batch's `prox_logp`
/// — and corrects for the behaviour policy with a detached weight on the token loss:
///
///     ρ_t = exp(clamp(logp_t − prox_t, −20, 20))     fed to the clipping rule
///     w_t = sg[exp(clamp(prox_t − old_t, −20, 20))]   multiplies the token loss
///
/// so the clipped loss is w·max(−A·ρ, −A·clip(ρ)): where the clip is inactive it equals
/// −A·π/π_old, value and gradient. The clamps are torch.clamp's: no gradient outside the range.
///
/// - Papers: PPO (arXiv:1707.06347); GSPO, Zheng et al. 2025 (arXiv:2507.18071); PPO-EWMA,
///   Hilton et al. 2021 (arXiv:2110.00641, batch size-invariance, the decoupled objective).
/// - Matches: verl 0.9.1 `compute_policy_loss_vanilla` (token) and `compute_policy_loss_gspo`
///   (sequence); openai/ppo-ewma `compute_losses` (proximal: ewma, without its cap of 100 on
///   π/π_old — `tis` is that cap here).
public struct ImportanceRatio: Sendable {
  public static var declaration: BlockDecl { .ratio }
  public enum Mode: String, Sendable { case token, sequence, sequenceToken = "sequence_token", product }
  /// The policy the ratio is taken against: the behaviour policy, or a proximal one (PPO-EWMA).
  public enum Proximal: String, Sendable { case old, ewma }
  public var mode: Mode
  public var proximal: Proximal
  /// Where the block was written, for errors about the batch it needs.
  public var span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    mode = try params.choice("mode")
    proximal = try params.choice("proximal")
    span = params.span
    if proximal == .ewma && mode != .token {
      throw CompileError("ratio.proximal: ewma is defined for mode: token (PPO-EWMA's decoupled objective), not mode: \(mode.rawValue)",
                         at: params.span, help: ["--set objective.ratio.proximal=old"])
    }
  }

  public func emit(batch: PolicyBatch) throws(CompileError) -> Value {
    let g = batch.graph
    let logp = batch[.logp]
    let anchor = proximal == .ewma ? try batch.input(.proxLogp, neededBy: "ratio.proximal: ewma", at: span) : batch[.oldLogp]
    let logRatio = logp - anchor
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

  /// `proximal: ewma`'s detached behaviour correction w_t = π_prox/π_old, `[N, T]`; `nil`
  /// for `proximal: old` (w ≡ 1).
  public func proximalCorrection(batch: PolicyBatch) throws(CompileError) -> Value? {
    guard proximal == .ewma else { return nil }
    let prox = try batch.input(.proxLogp, neededBy: "ratio.proximal: ewma", at: span)
    return stopGradient(batch.graph.masked(exp(clip(prox - batch[.oldLogp], -20, 20))))
  }
}
