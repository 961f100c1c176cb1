import Diagnostics

/// A recipe's `advantage` and `objective` as typed blocks: the compiler's input, built from
/// a checked recipe (`Recipe` does that) or directly in tests.
public struct PolicyRecipe: Sendable {
  /// One estimator block, or a formula.
  public enum Advantage: Sendable {
    case estimator(any AdvantageEstimator)
    case expression(ExpressionAdvantage)
  }

  public var advantage: Advantage
  /// `advantage.then`, applied in order.
  public var modifiers: [any AdvantageModifier] = []
  public var ratio: ImportanceRatio
  /// The clipping rule, the plain surrogate, a structural rule or `objective.expr`.
  public var policyLoss: any PolicyLoss
  public var tis: TruncatedImportanceWeight?
  public var kl: KLPenalty?
  public var entropy: EntropyBonus?
  public var value: ValueLoss?
  public var aggregation: LossAggregation
  /// Where each part was written (`advantage`, `objective.clip`, …): graph nodes carry it.
  public var spans: [String: SourceSpan] = [:]

  public init(advantage: Advantage, ratio: ImportanceRatio, policyLoss: any PolicyLoss, aggregation: LossAggregation) {
    self.advantage = advantage
    self.ratio = ratio
    self.policyLoss = policyLoss
    self.aggregation = aggregation
  }

  /// A recipe of declared defaults: `ratio: token`, `aggregate: token_mean`, the plain
  /// importance-weighted surrogate, and this advantage (tests change what they need).
  public static func defaults(advantage: Advantage) throws(CompileError) -> PolicyRecipe {
    PolicyRecipe(advantage: advantage, ratio: try ImportanceRatio(BlockParams(.ratio)),
                 policyLoss: ImportanceWeightedSurrogate(), aggregation: try LossAggregation(BlockParams(.aggregate)))
  }
}

/// The blocks the compiler has math for, by name.
public enum BlockLibrary {
  public static let estimators: [String: any AdvantageEstimator.Type] = [
    "gae": GeneralizedAdvantageEstimation.self, "returns": DiscountedReturns.self, "group_norm": GroupNormalizedAdvantage.self,
    "rloo": LeaveOneOutAdvantage.self, "reinforce_pp": WhitenedReturnAdvantage.self,
    "reinforce_pp_baseline": WhitenedGroupBaselineAdvantage.self, "remax": GreedyBaselineAdvantage.self,
  ]
  public static let modifiers: [String: any AdvantageModifier.Type] = ["batch_norm": BatchWhitening.self]
  /// Structural objective rules that replace the clipped surrogate.
  public static func structuralRule(_ params: BlockParams) throws(CompileError) -> (any PolicyLoss)? {
    switch params.declaration.name {
    case "a2c": try ActorCriticLoss(params)
    case "ppo_penalty": try PenalizedSurrogate(params)
    case "trpo": try TrustRegionSurrogate(params)
    case "mdpo": try MirrorDescentSurrogate(params)
    default: nil
    }
  }
}
