import Recipe
import Runtime

extension RunSetup {
  /// Gymnasium's reward thresholds the acceptance uses for tasks without one of their own:
  /// Pendulum-v1 has none; −400 is the bar (a random policy scores about −1,200).
  static let acceptanceThresholds: [String: Double] = ["pendulum": -400]

  /// The settings of a Gaussian head a recipe wrote for a task with discrete actions (a
  /// categorical head cannot take them), or nil.
  static func gaussianSettingOnDiscreteTask(_ recipe: ResolvedRecipe, task: String) -> String? {
    guard let environment = ClassicControl.environment(named: task, count: 1, seed: 0), environment.actionSpace.isDiscrete,
          let entry = ["policy.mlp.log_std_init", "policy.mlp.exploration", "policy.mlp.sde_sample_freq"]
            .compactMap({ recipe.entry($0) }).first(where: { $0.origin.isWritten }) else { return nil }
    return entry.path
  }

  /// Reads `rollout.normalize` (observation normalization and reward scaling) and
  /// `policy.mlp.log_std_init` into `c`.
  static func readNormalization(_ values: RecipeValues, into c: inout TrainerConfiguration) {
    if let b = values.bool("rollout.normalize.observations") { c.normalizesObservations = b }
    if let b = values.bool("rollout.normalize.rewards") { c.scalesRewards = b }
    if let clip = values.number("rollout.normalize.clip") { c.normalizationClip = clip }
    if let logStd = values.number("policy.mlp.log_std_init") { c.initialLogStd = logStd }
    if let mode = values.string("policy.mlp.exploration") { c.stateDependentExploration = mode == "state_dependent" }
    c.sdeSampleFrequency = values.int("policy.mlp.sde_sample_freq", default: c.sdeSampleFrequency)
  }
}
