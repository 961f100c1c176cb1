import Core
import Graph

// MARK: - The loss of a minibatch, and the coefficients that change between iterations

extension Trainer {
  /// PPO's adaptive-KL rule (Schulman et al. 2017, §4): with the measured KL d after an
  /// iteration's updates, β ← β/2 if d < target/1.5, β ← 2β if d > 1.5·target, else β;
  /// kept within [`klCoefficientRange`] (the paper states no bound; without one, a run whose
  /// KL stays below the target halves β to 0 in Float, from where doubling cannot recover).
  public static func adaptedKLCoefficient(_ beta: Double, kl d: Double, target: Double) -> Double {
    var next = beta
    if d < target / 1.5 { next = beta / 2 } else if d > target * 1.5 { next = beta * 2 }
    return Swift.min(Swift.max(next, klCoefficientRange.lowerBound), klCoefficientRange.upperBound)
  }

  /// The bounds of the adaptive β: 2⁻²⁰ … 2²⁰ (twenty halvings or doublings from 1).
  public static let klCoefficientRange = 0x1p-20...0x1p20

  /// MDPO's KL weight 1/t_k for iteration k (0-based) of K (Tomar et al. 2020, on-policy):
  /// t_k = 1 − k/K, so the weight is 1 at the first iteration and grows as the step size
  /// shrinks; `anneal: false` (schedule `constant`) keeps t_k = 1. The weight is capped at
  /// `mirrorDescentKLCap` (t_k ≥ 1/cap): without a cap it reaches K at the last iteration
  /// (∞ at k = K), and the per-sample noise of the ρ·log ρ gradient, scaled by it, swamps
  /// the surrogate's. The cap binds only in the last 1% of the run.
  public static func mirrorDescentKLCoefficient(iteration k: Int, of K: Int, anneal: Bool) -> Double {
    guard anneal, K > 0 else { return 1 }
    let t = 1 - Double(k) / Double(K)
    guard t > 0 else { return mirrorDescentKLCap }
    return Swift.min(1 / t, mirrorDescentKLCap)
  }

  /// The largest MDPO KL weight 1/t_k (see `mirrorDescentKLCoefficient`).
  public static let mirrorDescentKLCap = 100.0

  /// The loss on a minibatch of env steps, from the blocks' formulas (see the type's note).
  static func objective(_ c: TrainerConfiguration) -> (ActorCritic.BatchTerms) throws(RuntimeError) -> ActorCritic.Objective {
    { terms in
      let g = terms.builder, size = terms.logProbs.shape[0]
      let oldLogProbs = g.input("old_logp", [size]), advantages = g.input("advantages", [size])
      let returns = g.input("returns", [size])
      let logRatio = terms.logProbs - oldLogProbs
      let ratio = exp(logRatio)
      // clip: ℓ = max(−A·ρ, −A·clip(ρ, 1 − low, 1 + high)), token_mean.
      var clipFraction = g.scalar(0)
      var policyLoss: Value
      var penalty: Value? = nil
      switch c.policyTerm {
      case .a2c:
        // a2c: ℓ = −logπ·sg[A], no ratio.
        policyLoss = (-terms.logProbs * stopGradient(advantages)).mean()
      case .ppoPenalty:
        // ppo_penalty: ℓ = −ρ·A; + β·KL(π_old ‖ π), the k3 estimate (ρ − 1) − log ρ clamped
        // as the block's; β is the `kl_coef` input (one value per row), set per iteration.
        policyLoss = (-advantages * ratio).mean()
        let beta = g.input("kl_coef", [size])
        let x = clip(logRatio, -20, 20)
        penalty = (clip(exp(x) - x - 1, -10, 10) * beta).mean()
      case .mdpo:
        // mdpo: ℓ = −ρ·A; + (1/t_k)·KL(π ‖ π_k), estimated by ρ·log ρ on samples of π_k (the
        // block's estimator, log ρ clamped to ±20); 1/t_k is the `kl_coef` input, set per iteration.
        policyLoss = (-advantages * ratio).mean()
        let weight = g.input("kl_coef", [size])
        let x = clip(logRatio, -20, 20)
        penalty = (exp(x) * x * weight).mean()
      case .trpo:
        // trpo: the policy moves by `TrustRegionStep`; these updates fit only the critic.
        policyLoss = g.scalar(0)
      case .surrogate:
      if let low = c.clipLow {
        let high = c.clipHigh ?? low
        policyLoss = max(-advantages * ratio, -advantages * clip(ratio, Float(1 - low), Float(1 + high))).mean()
        clipFraction = ((ratio .< Float(1 - low)) + (ratio .> Float(1 + high))).mean()
      } else {
        policyLoss = (-advantages * ratio).mean()
      }
      }
      // value: ½·(V − R)², or ½·max((V − R)², (V_old + clamp(V − V_old, −c, c) − R)²).
      let unclipped = square(terms.values - returns)
      let valueLoss: Value
      if let range = c.valueClip {
        let oldValues = g.input("old_values", [size])
        let moved = oldValues + clip(terms.values - oldValues, Float(-range), Float(range))
        valueLoss = (max(unclipped, square(moved - returns)) * 0.5).mean()
      } else {
        valueLoss = (unclipped * 0.5).mean()
      }
      let entropy = terms.entropy.mean()
      var loss = c.policyTerm == .trpo ? valueLoss * Float(c.valueCoefficient)
        : policyLoss - entropy * Float(c.entropyCoefficient) + valueLoss * Float(c.valueCoefficient)
      if let penalty { loss = loss + penalty }
      // approx_kl: the k3 estimator (ρ − 1) − log ρ (CleanRL's approx_kl).
      let approxKL = ((ratio - 1) - logRatio).mean()
      return .init(loss: loss, metrics: [("pg_loss", policyLoss), ("value_loss", valueLoss), ("entropy", entropy),
                                         ("approx_kl", stopGradient(approxKL)), ("clip_frac", stopGradient(clipFraction))])
    }
  }
}
