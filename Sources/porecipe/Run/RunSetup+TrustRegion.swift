import Recipe
import Runtime

extension RunSetup {
  /// Reads `objective.trpo` into `c`: the policy moves by the trust-region step and the
  /// epochs × minibatches fit only the critic (`advantage.gae.normalize: minibatch` whitens
  /// over the whole rollout, the batch the step uses).
  static func readTrustRegion(_ values: RecipeValues, into c: inout TrainerConfiguration) {
    c.policyTerm = .trpo
    (c.clipLow, c.clipHigh) = (nil, nil)
    var t = TrustRegionStep.Settings()
    if let x = values.number("objective.trpo.max_kl") { t.maxKL = x }
    t.conjugateGradientIterations = values.int("objective.trpo.cg_iters", default: t.conjugateGradientIterations)
    if let x = values.number("objective.trpo.damping") { t.damping = x }
    if let x = values.number("objective.trpo.backtrack") { t.backtrack = x }
    t.maxBacktracks = values.int("objective.trpo.max_backtracks", default: t.maxBacktracks)
    c.trustRegion = t
  }
}
