import Recipe
import Runtime

extension RunSetup {
  /// Reads `objective.trpo` into `c`: the policy moves by the trust-region step and the
  /// epochs × minibatches fit only the critic (`advantage.gae.normalize: minibatch` whitens
  /// over the whole rollout, the batch the step uses).
  static func readTrustRegion(_ recipe: ResolvedRecipe, into c: inout TrainerConfiguration) {
    c.policyTerm = .trpo
    (c.clipLow, c.clipHigh) = (nil, nil)
    var t = TrustRegionStep.Settings()
    if let x = recipe.value("objective.trpo.max_kl")?.number { t.maxKL = x }
    if let x = recipe.value("objective.trpo.cg_iters")?.number { t.conjugateGradientIterations = Int(x) }
    if let x = recipe.value("objective.trpo.damping")?.number { t.damping = x }
    if let x = recipe.value("objective.trpo.backtrack")?.number { t.backtrack = x }
    if let x = recipe.value("objective.trpo.max_backtracks")?.number { t.maxBacktracks = Int(x) }
    c.trustRegion = t
  }
}
