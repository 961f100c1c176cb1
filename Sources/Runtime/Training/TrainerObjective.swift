import Blocks
import Graph

/// A recipe's `advantage` and `objective` blocks carried in a `TrainerConfiguration`: the
/// trainer compiles `recipe` into its minibatch update (`Trainer.compileObjective`).
///
/// Equality, hashing and JSON go by `fingerprint`, the text of that compiled update without
/// the recipe's source spans: a `PolicyRecipe` holds blocks of any type and has no equality
/// of its own. A checkpoint records the fingerprint, so resuming a run under another
/// objective (another `objective.expr`, say) is refused. A decoded value has no recipe; it
/// can only be compared.
public struct TrainerObjective: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The blocks to compile; nil when decoded from a checkpoint.
  public let recipe: PolicyRecipe?
  public let fingerprint: String

  /// - Throws: `RuntimeError.invalidConfiguration` when the objective does not compile for env steps.
  public init(_ recipe: PolicyRecipe) throws(RuntimeError) {
    var bare = recipe
    bare.spans = [:]
    fingerprint = try Trainer.compileObjective(bare, rows: 1).graph.description
    self.recipe = recipe
  }

  public init(from decoder: any Decoder) throws {
    recipe = nil
    fingerprint = try decoder.singleValueContainer().decode(String.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(fingerprint)
  }

  public static func == (a: TrainerObjective, b: TrainerObjective) -> Bool { a.fingerprint == b.fingerprint }
  public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
  public var description: String { fingerprint }
}

extension TrainerConfiguration {
  /// The blocks the trainer compiles: `objective`'s recipe, or for a configuration without
  /// one the blocks its numbers name — `clip` (`clipLow`, `clipHigh`; the plain ratio when
  /// nil), `a2c`, `ppo_penalty` (k3), `mdpo` or `trpo` by `policyTerm`, `value` (`clipped`
  /// when `valueClip` is set, else `mse`), `entropy` and `token_mean`.
  ///
  /// - Throws: `RuntimeError.invalidConfiguration` for an objective read from a checkpoint
  ///   (it has no recipe) or numbers outside a block's range.
  public func objectiveRecipe() throws(RuntimeError) -> PolicyRecipe {
    if let objective {
      guard let recipe = objective.recipe else {
        throw .invalidConfiguration(reason: "the configuration's objective was read from a checkpoint and has no recipe to compile")
      }
      return recipe
    }
    do {
      let advantage = try GeneralizedAdvantageEstimation(BlockParams(GeneralizedAdvantageEstimation.declaration,
                                                                     values: ["gamma": .float(gamma), "lambda": .float(lambda)]))
      var recipe = try PolicyRecipe.defaults(advantage: .estimator(advantage))
      switch policyTerm {
      case .surrogate:
        if let low = clipLow {
          recipe.policyLoss = try ClippedSurrogate(BlockParams(ClippedSurrogate.declaration,
                                                               values: ["low": .float(low), "high": .float(clipHigh ?? low)]))
        }
      case .a2c: recipe.policyLoss = try ActorCriticLoss(BlockParams(ActorCriticLoss.declaration))
      case .ppoPenalty:
        recipe.policyLoss = try PenalizedSurrogate(BlockParams(PenalizedSurrogate.declaration, values: [
          "target": .float(klTarget), "beta_init": .float(klCoefficientInit), "estimator": .string("k3"),
        ]))
      case .mdpo: recipe.policyLoss = try MirrorDescentSurrogate(BlockParams(MirrorDescentSurrogate.declaration))
      case .trpo: recipe.policyLoss = try TrustRegionSurrogate(BlockParams(TrustRegionSurrogate.declaration))
      }
      var value: [String: ParamValue] = ["loss": .string(valueClip == nil ? "mse" : "clipped"), "coef": .float(valueCoefficient)]
      if let valueClip { value["clip"] = .float(valueClip) }
      recipe.value = try ValueLoss(BlockParams(ValueLoss.declaration, values: value))
      recipe.entropy = try EntropyBonus(BlockParams(EntropyBonus.declaration, values: ["coef": .float(entropyCoefficient)]))
      return recipe
    } catch {
      throw .invalidConfiguration(reason: error.message)
    }
  }
}
