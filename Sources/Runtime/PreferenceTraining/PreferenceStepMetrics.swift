/// What one preference step measured (one line of `metrics.jsonl`).
public struct PreferenceStepMetrics: Sendable, Equatable {
  public var iteration: Int
  /// Examples in the step's minibatch (pairs, lists, or KTO's labelled answers).
  public var pairs: Int
  public var loss: Double
  /// The loss's implicit rewards (means over the minibatch) and their difference.
  public var chosenReward: Double
  public var rejectedReward: Double
  public var margin: Double
  /// Other terms the loss reports (KTO's `kl`).
  public var terms: [String: Double]
  /// Share of the minibatch's examples the implicit reward ranks right.
  public var rewardAccuracy: Double
  /// The same on the held-out examples, at evaluation steps.
  public var heldOutRewardAccuracy: Double?
  /// The loss's mean margin on the held-out examples, at evaluation steps.
  public var heldOutMargin: Double?
  /// Held-out task accuracy of greedy answers, at evaluation steps.
  public var evalAccuracy: Double?
  /// Online: the share of the iteration's sampled answers that were correct.
  public var sampleAccuracy: Double?
  public var elapsed: Double
}
