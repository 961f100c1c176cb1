import Blocks
import Core
import Expr
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

  /// The recipe's objective compiled for a batch of `rows` env steps (`Stage.update`): each
  /// step is a one-token sequence in a group of its own, since env steps are independent, so
  /// every aggregation is the mean over steps (token_mean: Σ ℓ / B; the sequence means divide
  /// by B rows of length 1) — what CleanRL's `.mean()` computes. A structural rule's KL
  /// weight is the scalar input `kl_coef` (β or 1/t_k, set per iteration without recompiling).
  static func compileObjective(_ recipe: PolicyRecipe, rows: Int) throws(RuntimeError) -> PolicyProgram {
    do {
      return try PolicyProgram.compile(recipe, layout: RowLayout(groups: Array(0..<rows), tokens: 1), present: [.values, .valuePred, .entropy],
                                       stage: .update, differentiates: false, penaltyCoefficientInput: "kl_coef")
    } catch {
      throw .invalidConfiguration(reason: "the objective does not compile for env steps: \(error.message)")
    }
  }

  /// Inlines the compiled objective into the graph of `logProbs`: the policy's `[B]`
  /// log-probs, entropies and values bound as `[B, 1]` (`logp`, `entropy`, `value_pred`),
  /// with `oldLogProbs` and `advantages`, and new `[B]` inputs `returns` and `values` (the
  /// critic at rollout: value clipping) and the scalar `kl_coef` when the objective reads
  /// them; the mask is all ones and the counts are B. Returns the outputs by name (`loss`,
  /// `terms.<name>`).
  ///
  /// - Throws: `RuntimeError.invalidConfiguration` when the objective reads what an env run
  ///   does not have (`ref_logp`: no reference policy; `reward`: per-step rewards enter GAE).
  static func inlineObjective(_ program: PolicyProgram, logProbs: Value, entropy: Value, values: Value, oldLogProbs: Value,
                              advantages: Value) throws(RuntimeError) -> [String: Value] {
    let g = logProbs.builder, rows = logProbs.shape[0]
    let column = { (x: Value) in x.reshaped(to: [rows, 1]) }
    var bindings = ["logp": column(logProbs), "entropy": column(entropy), "value_pred": column(values),
                    "old_logp": column(oldLogProbs), "advantages": column(advantages), "mask": g.full(1, [rows, 1])]
    for name in ["token_count", "sequence_count", "row_count"] { bindings[name] = g.scalar(Float(rows)) }
    let live = program.graph.liveValues()
    for (id, name) in zip(program.graph.inputs, program.graph.inputNames) where bindings[name] == nil {
      let shape = program.graph[id].type.shape
      guard live[id.index] else {
        bindings[name] = g.full(0, shape)
        continue
      }
      switch name {
      case "returns", "values": bindings[name] = column(g.input(name, [rows]))
      case "kl_coef": bindings[name] = g.input(name, .scalar)
      default: throw .invalidConfiguration(reason: "the objective reads '\(name)', which an environment run does not have")
      }
    }
    let outputs = g.inline(program.graph, bindings: bindings)
    return Dictionary(zip(program.outputNames, outputs), uniquingKeysWith: { first, _ in first })
  }

  /// The loss of a minibatch: the compiled objective inlined on the policy's terms
  /// (`inlineObjective`), differentiated as one graph, so the entropy bonus reaches the logits.
  ///
  /// Metrics: `pg_loss`, `value_loss` and `entropy` are the objective's terms (`entropy`
  /// without the slot: the mean entropy, reported only); `approx_kl` is the k3 estimate
  /// (ρ − 1) − log ρ of the unclamped ratio (CleanRL's) and `clip_frac` the share of ratios
  /// outside `clip`'s [1 − low, 1 + high] (0 without `clip`). With `criticOnly` (trpo, whose
  /// policy moves by `TrustRegionStep`) the loss is the value term alone.
  static func objective(_ program: PolicyProgram, recipe: PolicyRecipe, criticOnly: Bool)
    -> (ActorCritic.BatchTerms) throws(RuntimeError) -> ActorCritic.Objective {
    { terms throws(RuntimeError) in
      let g = terms.builder, rows = terms.logProbs.shape[0]
      let oldLogProbs = g.input("old_logp", [rows]), advantages = g.input("advantages", [rows])
      let named = try inlineObjective(program, logProbs: terms.logProbs, entropy: terms.entropy, values: terms.values,
                                      oldLogProbs: oldLogProbs, advantages: advantages)
      guard var loss = named["loss"], let policyLoss = named["terms.pg_loss"] else {
        throw .invalidConfiguration(reason: "internal error: the compiled objective has no loss (please report)")
      }
      guard let valueLoss = named["terms.value_loss"], let value = recipe.value else {
        throw .invalidConfiguration(reason: "an actor-critic run needs objective.value")
      }
      if criticOnly { loss = valueLoss * Float(value.coefficient) }
      let entropy = named["terms.entropy"] ?? stopGradient(terms.entropy.mean())
      let logRatio = terms.logProbs - oldLogProbs
      let ratio = exp(logRatio)
      // approx_kl: the k3 estimator (ρ − 1) − log ρ (CleanRL's approx_kl).
      let approxKL = ((ratio - 1) - logRatio).mean()
      var clipFraction = g.scalar(0)
      if let clip = recipe.policyLoss as? ClippedSurrogate {
        clipFraction = ((ratio .< Float(1 - clip.low)) + (ratio .> Float(1 + clip.high))).mean()
      }
      return .init(loss: loss, metrics: [("pg_loss", policyLoss), ("value_loss", valueLoss), ("entropy", entropy),
                                         ("approx_kl", stopGradient(approxKL)), ("clip_frac", stopGradient(clipFraction))])
    }
  }
}
