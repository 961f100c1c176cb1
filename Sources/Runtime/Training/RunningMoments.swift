/// The running mean and (population) variance of a stream of vectors, merged one batch at a
/// time with the parallel update of Chan et al. (1979):
///
///     δ = mean_B − mean,  n' = n + n_B
///     mean' = mean + δ·n_B/n'
///     var'  = (var·n + var_B·n_B + δ²·n·n_B/n') / n'
///
/// Starts at mean 0, variance 1 and a count of 1e-4, in `Double`.
/// - Matches: Stable-Baselines3 `RunningMeanStd` (`common/running_mean_std.py`).
public struct RunningMoments: Sendable, Hashable, Codable {
  public var mean: [Double]
  public var variance: [Double]
  public var count: Double

  /// Moments of vectors of `size` elements, before any data.
  public init(size: Int, count: Double = 1e-4) {
    mean = [Double](repeating: 0, count: size)
    variance = [Double](repeating: 1, count: size)
    self.count = count
  }

  /// Merges a batch of `rows` vectors read by `element(row, k)`.
  public mutating func update(rows: Int, _ element: (Int, Int) -> Double) {
    guard rows > 0 else { return }
    let n = Double(rows), total = count + n
    for k in mean.indices {
      var sum = 0.0
      for r in 0..<rows { sum += element(r, k) }
      let batchMean = sum / n
      var squares = 0.0
      for r in 0..<rows { let d = element(r, k) - batchMean; squares += d * d }
      let delta = batchMean - mean[k]
      let m2 = variance[k] * count + squares + delta * delta * count * n / total
      mean[k] += delta * n / total
      variance[k] = m2 / total
    }
    count = total
  }
}
