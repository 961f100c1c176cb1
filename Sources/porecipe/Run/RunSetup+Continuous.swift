import Recipe
import Runtime

extension RunSetup {
  /// Gymnasium's reward thresholds the acceptance uses for tasks without one of their own:
  /// Pendulum-v1 has none; −400 is the bar (a random policy scores about −1,200).
  static let acceptanceThresholds: [String: Double] = ["pendulum": -400]

  /// Reads `rollout.normalize` (observation normalization and reward scaling) and
  /// `policy.mlp.log_std_init` into `c`.
  static func readNormalization(_ recipe: ResolvedRecipe, into c: inout TrainerConfiguration) {
    if case .bool(let b)? = recipe.value("rollout.normalize.observations") { c.normalizesObservations = b }
    if case .bool(let b)? = recipe.value("rollout.normalize.rewards") { c.scalesRewards = b }
    if let clip = recipe.value("rollout.normalize.clip")?.number { c.normalizationClip = clip }
    if let logStd = recipe.value("policy.mlp.log_std_init")?.number { c.initialLogStd = logStd }
  }
}
