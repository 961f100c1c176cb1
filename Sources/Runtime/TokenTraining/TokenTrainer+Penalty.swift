import Blocks

// MARK: - A structural rule's penalty coefficient between iterations

extension TokenTrainer {
  /// Why a token run cannot train `trpo`: its step is a conjugate-gradient solve with
  /// Fisher-vector products, which the token trainer has no program for.
  public static let trustRegionRefusal = """
    objective.trpo is not supported on token tasks: its natural-gradient step (conjugate gradient on Fisher-vector \
    products and a line search) runs for the MLP policies of environment tasks only; use ppo_penalty or clip instead
    """

  /// The coefficient a structural rule's penalty has at iteration `k` (0-based) of `K`
  /// before any adaptation: `ppo_penalty`'s `beta_init`, `mdpo`'s 1/t_k
  /// (`Trainer.mirrorDescentKLCoefficient`); nil for other objectives.
  static func initialPenaltyCoefficient(_ recipe: PolicyRecipe, iteration k: Int, of K: Int) -> Double? {
    if let rule = recipe.policyLoss as? PenalizedSurrogate { return rule.beta }
    if let rule = recipe.policyLoss as? MirrorDescentSurrogate {
      return Trainer.mirrorDescentKLCoefficient(iteration: k, of: K, anneal: rule.anneals)
    }
    return nil
  }

  /// The coefficient for the iteration after one (now `iteration`, 1-based) that used
  /// `coefficient` and measured the rule's KL term `kl` (the mean over its last epoch's
  /// minibatches): `ppo_penalty` halves or doubles β (`Trainer.adaptedKLCoefficient`, PPO
  /// §4), `mdpo` moves to the next 1/t_k.
  func nextPenaltyCoefficient(after coefficient: Double?, kl: Double) -> Double? {
    guard let coefficient else { return nil }
    if let rule = recipe.policyLoss as? PenalizedSurrogate {
      return Trainer.adaptedKLCoefficient(coefficient, kl: kl, target: rule.target)
    }
    return Self.initialPenaltyCoefficient(recipe, iteration: iteration, of: configuration.iterations)
  }
}
