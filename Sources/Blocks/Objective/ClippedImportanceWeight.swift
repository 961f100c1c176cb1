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
}
