/// The reward stage's output for one batch of `RewardSample`s.
public struct RewardScores: Sendable {
  /// Per sample, the weighted sum of the terms.
  public var total: [Double]
  /// Per sample, the task verifier's verdict (whether or not a `verifier` term is on).
  public var correct: [Bool]
  /// Per term, by its recipe key (`verifier`, `overlong`, …): the weighted contribution per
  /// sample; `total` is their sum.
  public var terms: [String: [Double]]
  /// Per sample, whether to mask it out of the loss (`overlong.filter_truncated`).
  public var excluded: [Bool]

  public init(total: [Double], correct: [Bool], terms: [String: [Double]], excluded: [Bool]) {
    self.total = total
    self.correct = correct
    self.terms = terms
    self.excluded = excluded
  }
}
