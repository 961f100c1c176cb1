/// What one iteration of a token run reports (`metrics.jsonl`, one object per iteration;
/// keys that do not apply are absent).
public struct TokenIterationMetrics: Sendable, Equatable {
  /// 1-based.
  public var iteration: Int
  /// Responses sampled so far, this iteration's included (dynamic sampling's extra rounds too).
  public var samples: Int
  /// Mean summed reward of the batch's responses, and each reward term's mean.
  public var rewardMean: Double
  public var rewardTerms: [String: Double] = [:]
  /// Share of this batch's greedy-free samples the verifier accepted.
  public var accuracy: Double
  /// Held-out accuracy of greedy answers; on evaluation iterations only.
  public var evalAccuracy: Double?
  /// Mean response length in tokens (EOS included), overall and for correct and incorrect answers.
  public var responseLengthMean: Double
  public var responseLengthCorrectMean: Double?
  public var responseLengthIncorrectMean: Double?
  /// Mean policy entropy per response token, at rollout.
  public var entropy: Double
  /// Mean k3 estimate of KL(π ‖ π_ref) per response token, at rollout.
  public var klRef: Double
  /// A clipping rule's clip fractions, as its objective reports them (`clip_frac_low`,
  /// `clip_frac_high`, `clip_frac_dual`; see `ClippedSurrogate`, `ClippedImportanceWeight`),
  /// means over the updates; empty for objectives that clip nothing.
  public var clipFractions: [String: Double] = [:]
  /// Share of sampled responses left out of the loss by the filters.
  public var filteredFraction: Double
  /// Generated tokens per second over the iteration's wall time.
  public var tokensPerSecond: Double
  /// The loss and its aggregated terms (`pg_loss`, `kl`, `value_loss`, …), means over the updates.
  public var loss: Double
  public var lossTerms: [String: Double]
  /// The learning rate of this iteration's updates and the KL coefficient: adaptive KL's
  /// (after the iteration), or the structural rule's β or 1/t_k its updates used.
  public var learningRate: Double
  public var klCoefficient: Double?
  /// Minibatch updates made.
  public var updates: Int
  /// Share of the batch's rows replayed from the buffer (`filter.replay` only).
  public var replayedFraction: Double?
}
