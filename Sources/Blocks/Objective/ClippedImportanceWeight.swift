import Diagnostics
import Graph

/// CISPO: clip the importance weight, detached, and keep every token's gradient.
///
///     ℓ_t = −sg[clip(ρ_t, 1 − low, 1 + high)]·A_t·logp_t
///
/// - Papers: MiniMax-M1, 2025 (arXiv:2506.13585).
public struct ClippedImportanceWeight: PolicyLoss {
  public static var declaration: BlockDecl { .cispo }
  public var low: Double
  public var high: Double

  public init(_ params: BlockParams) throws(CompileError) {
    low = try params.number("low")
    high = try params.number("high")
  }

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value {
    let weight = stopGradient(clip(input.ratio, Float(1 - low), Float(1 + high)))
    return -weight * input.advantages * input.logp
  }

  /// The weight is clipped whatever A's sign: `clip_frac_low` where ρ < 1 − low,
  /// `clip_frac_high` where ρ > 1 + high.
  public func clipFractions(_ input: PolicyLossInput, batch: PolicyBatch) -> [(name: String, value: Value)] {
    ClipFraction.terms([("clip_frac_low", input.ratio .< Float(1 - low)), ("clip_frac_high", input.ratio .> Float(1 + high))],
                       of: input, batch: batch)
  }
}
