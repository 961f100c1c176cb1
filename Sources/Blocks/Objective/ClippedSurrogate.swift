import Diagnostics
import Graph

/// PPO's clipped surrogate as a per-token loss, with asymmetric bounds (clip-higher),
/// optional dual clip and optional two-sided ratio cap.
///
///     ℓ_t = max(−A_t·ρ_t, −A_t·clip(ρ_t, 1 − low, 1 + high))
///     dual c:   where A_t < 0, ℓ_t = min(ℓ_t, −c·A_t)      (only when `dual` is given)
///     delta δ:  the unclipped branch uses min(ρ_t, δ)       (TRL two-sided clipping)
///
/// The one deliberate difference from verl, which always applies dual clip 3.0: recipes that
/// mirror verl say `dual: 3.0`.
///
/// - Papers: PPO (arXiv:1707.06347); DAPO clip-higher (arXiv:2503.14476); dual clip (arXiv:1912.09729).
/// - Matches: verl 0.9.1 `compute_policy_loss_vanilla` (see tests).
public struct ClippedSurrogate: PolicyLoss {
  public static var declaration: BlockDecl { .clip }
  public var low: Double
  public var high: Double
  public var dual: Double?
  public var delta: Double?

  public init(_ params: BlockParams) throws(CompileError) {
    low = try params.number("low")
    high = try params.optionalNumber("high") ?? low  // declared default: "same as low"
    dual = try params.optionalNumber("dual")
    delta = try params.optionalNumber("delta")
  }

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value {
    let ratio = input.ratio, adv = input.advantages
    let capped = delta.map { clip(ratio, -Float.greatestFiniteMagnitude, Float($0)) } ?? ratio
    let clipped = max(-adv * capped, -adv * clip(ratio, Float(1 - low), Float(1 + high)))
    guard let dual else { return clipped }
    return select(adv .< 0, min(clipped, -adv * Float(dual)), clipped)
  }

  /// `clip_frac_low`: A < 0 and ρ < 1 − low; `clip_frac_high`: A > 0 and ρ > 1 + high — the
  /// decisions where the clipped branch wins (verl's `pg_clipfrac` is their sum);
  /// `clip_frac_dual` (with `dual`): A < 0 and the bound −c·A below the clipped loss (verl's
  /// `pg_clipfrac_lower`).
  public func clipFractions(_ input: PolicyLossInput, batch: PolicyBatch) -> [(name: String, value: Value)] {
    let ratio = input.ratio, adv = input.advantages
    var indicators = [("clip_frac_low", (adv .< 0) * (ratio .< Float(1 - low))),
                      ("clip_frac_high", (adv .> 0) * (ratio .> Float(1 + high)))]
    if let dual {
      let clipped = max(-adv * ratio, -adv * clip(ratio, Float(1 - low), Float(1 + high)))
      indicators.append(("clip_frac_dual", (adv .< 0) * (clipped .> -adv * Float(dual))))
    }
    return ClipFraction.terms(indicators, of: input, batch: batch)
  }
}

/// The importance-weighted policy gradient without clipping, ℓ_t = −A_t·ρ_t: the surrogate
/// when neither `clip` nor `cispo` is on (RLOO and ReMax as published).
public struct ImportanceWeightedSurrogate: PolicyLoss {
  public init() {}

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value { -input.advantages * input.ratio }
}
