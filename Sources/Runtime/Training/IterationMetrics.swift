/// What one iteration of training reports (`metrics.jsonl`, one object per iteration).
public struct IterationMetrics: Sendable, Equatable {
  /// 1-based.
  public var iteration: Int
  /// Env steps taken so far, this iteration's included.
  public var envSteps: Int
  /// Mean return and length of the last 20 finished episodes; nil before any.
  public var episodeReturnMean: Double?
  public var episodeLengthMean: Double?
  /// Means over the iteration's minibatch updates.
  public var pgLoss: Double
  public var valueLoss: Double
  public var entropy: Double
  public var approxKL: Double
  /// Fraction of ratios outside the clip range; nil when the objective clips nothing.
  public var clipFraction: Double?
  /// The learning rate of this iteration's updates.
  public var learningRate: Double
  /// `ppo_penalty`'s β or `mdpo`'s 1/t_k used by this iteration's updates (`kl_coef`); nil
  /// for other objectives.
  public var klCoefficient: Double? = nil
  /// Epochs run (fewer than `epochs` after a target-KL stop) and minibatch updates made.
  public var epochs: Int
  public var updates: Int
}
