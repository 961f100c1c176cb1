/// The role of a block inside its section: what the checker says a block *is*
/// ("`gae` is an advantage estimator").
public enum BlockKind: String, Sendable, Hashable, CaseIterable {
  case environmentTask, tokenTask, preferenceTask
  case model
  case rewardTerm
  case filter
  case estimator, modifier
  /// A policy-gradient slot of `objective` (`ratio`, `clip`, `kl`, …).
  case slot
  /// A structural policy-gradient rule that replaces the clipped surrogate (`trpo`, `a2c`, …).
  case structural
  /// A preference loss (`dpo`, `ipo`, …); never mixed with policy-gradient slots.
  case preference
  case optimizer
  case schedule

  /// `an advantage estimator`, `a preference loss`, …
  public var noun: String {
    switch self {
    case .environmentTask: "an environment task"
    case .tokenTask: "a token task"
    case .preferenceTask: "a preference dataset"
    case .model: "a policy model"
    case .rewardTerm: "a reward block"
    case .filter: "a sample filter"
    case .estimator: "an advantage estimator"
    case .modifier: "an advantage modifier"
    case .slot: "an objective slot"
    case .structural: "a structural objective rule"
    case .preference: "a preference loss"
    case .optimizer: "an optimizer"
    case .schedule: "a schedule shape"
    }
  }

  /// `advantage modifiers`, for "a list of …".
  public var plural: String {
    switch self {
    case .modifier: "advantage modifiers"
    case .preference: "preference losses"
    default: String(noun.drop { $0 != " " }.dropFirst()) + "s"
    }
  }

  /// Whether the block trains a policy by policy gradient (so it clashes with a preference loss).
  public var isPolicyGradient: Bool { self == .slot || self == .structural }
}
