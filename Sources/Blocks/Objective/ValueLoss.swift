import Diagnostics
import Graph

/// Critic regression onto the returns, per token, added as `coef·aggregate(ℓ)`:
///
///     mse:      ℓ_t = ½·(V_t − ret_t)²
///     clipped:  ℓ_t = ½·max((V_t − ret_t)², (V_old,t + clamp(V_t − V_old,t, −c, c) − ret_t)²)
///
/// V is `value_pred` (the differentiated input), V_old is `values` (the critic at rollout).
///
/// - Papers: PPO (arXiv:1707.06347); A3C, Mnih et al. 2016.
/// - Matches: verl 0.9.1 `compute_value_loss` and CleanRL (the ½ included).
public struct ValueLoss: Sendable {
  public static var declaration: BlockDecl { .value }
  public var isClipped: Bool
  public var coefficient: Double
  public var clipRange: Double
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    isClipped = try params.word("loss") == "clipped"
    coefficient = try params.number("coef")
    clipRange = try params.number("clip")
    span = params.span
  }

  /// `[N, T]` per-token losses against `returns`.
  public func tokenLoss(returns: Value?, batch: PolicyBatch) throws(CompileError) -> Value {
    guard let returns else {
      throw CompileError("objective.value needs returns, but the advantage estimator defines none", at: span,
                         help: ["use gae or returns as the advantage estimator"])
    }
    let prediction = try batch.input(.valuePred, neededBy: "objective.value", at: span)
    let target = stopGradient(returns)
    let unclipped = square(prediction - target)
    guard isClipped else { return 0.5 * unclipped }
    let old = try batch.input(.values, neededBy: "objective.value with loss: clipped", at: span)
    let moved = old + clip(prediction - old, Float(-clipRange), Float(clipRange))
    return 0.5 * max(unclipped, square(moved - target))
  }
}
