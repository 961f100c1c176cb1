import Blocks

extension RecipeValues {
  /// `mdpo`'s m = `steps` passes over each rollout are the run's epochs: the key is sugar
  /// for `train.epochs: m`, and the two must agree (environment and token runs alike).
  func checkMirrorDescentSteps(epochs: Int) throws(RunSetup.Refusal) {
    let m = try int("objective.mdpo.steps")
    guard m == epochs else {
      throw refuse("objective.mdpo.steps (\(m)) and train.epochs (\(epochs)) must agree: mdpo's m steps are the epochs over each rollout")
    }
  }
}
