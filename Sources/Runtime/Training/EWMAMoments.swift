/// Running advantage statistics across batches for `batch_norm: {ewma: β}` (PPO-EWMA's
/// batch size-invariant advantage normalization): each batch adds its values with weight 1,
/// and every earlier value's weight is multiplied by β once per batch. With w_k the weights,
///
///     mean = Σ w·x / Σ w
///     var  = (Σ w·x² − (Σ w·x)² / Σ w) / (Σ w − Σ w² / Σ w)     unbiased (reliability weights)
///     A'   = (A − mean) · rsqrt(var + eps)                        shift: false adds the mean back
///
/// After a first batch the statistics are that batch's own, with the unbiased variance, so
/// the numbers equal `batch_norm` without `ewma` (what `porecipe eval` computes on its one
/// batch); β = 0 forgets every batch but the latest.
///
/// - Papers: Hilton et al. 2021, "Batch size-invariance for policy optimization"
///   (arXiv:2110.00641).
/// - Matches: openai/ppo-ewma `EwmaMoments` with `moments(ddof=1)` (its default `ddof=0` is
///   the biased variance), `eps` inside the square root as verl's `masked_whiten` (see tests).
public struct EWMAMoments: Sendable, Equatable, Codable {
  /// The per-batch decay β of earlier values' weights, in [0, 1).
  public let decay: Double
  /// Added to the variance before the square root.
  public let epsilon: Double
  /// Subtract the mean (`batch_norm.shift`); `false` adds it back after scaling.
  public let shifts: Bool
  private var weight = 0.0, squaredWeight = 0.0, weightedSum = 0.0, weightedSquares = 0.0

  public init(decay: Double, epsilon: Double = 1e-8, shifts: Bool = true) {
    (self.decay, self.epsilon, self.shifts) = (decay, epsilon, shifts)
  }

  /// Adds a batch: the advantages of its real tokens (an empty batch changes nothing).
  public mutating func update(with values: some Collection<Double>) {
    guard !values.isEmpty else { return }
    let n = Double(values.count)
    weight = weight * decay + n
    squaredWeight = squaredWeight * decay * decay + n
    // NOTE: sums in Double, each batch's squares about its own mean first (no cancellation
    // between large means and small spreads), then Σx² = n·(var + mean²) as ppo-ewma adds them.
    let mean = values.reduce(0, +) / n
    let spread = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    weightedSum = weightedSum * decay + mean * n
    weightedSquares = weightedSquares * decay + spread + n * mean * mean
  }

  /// The running mean; 0 before any batch.
  public var mean: Double { weight > 0 ? weightedSum / weight : 0 }

  /// The running unbiased variance; 1 before any batch, 0 from a single value.
  public var variance: Double {
    guard weight > 0 else { return 1 }
    let denominator = weight - squaredWeight / weight
    guard denominator > 0 else { return 0 }
    return Swift.max(weightedSquares - weightedSum * weightedSum / weight, 0) / denominator
  }

  /// `values` whitened with the running statistics (call `update(with:)` with the batch first).
  public func normalized(_ values: [Double]) -> [Double] {
    let (mean, scale) = (self.mean, 1 / (variance + epsilon).squareRoot())
    return values.map { shifts ? ($0 - mean) * scale : ($0 - mean) * scale + mean }
  }
}
