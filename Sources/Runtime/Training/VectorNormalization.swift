import Core

/// Observation normalization and return-based reward scaling for N environments, as
/// Stable-Baselines3's `VecNormalize` (training mode):
///
///     obs' = clip((obs − μ_obs) / sqrt(σ²_obs + eps), ±clip)       μ, σ² running over every obs seen
///     G ← γ·G + r (G = 0 after an episode ends);  r' = clip(r / sqrt(σ²_G + eps), ±clip)
///
/// The statistics move with every step (before normalizing it); the rollout stores the
/// normalized observations and scaled rewards, episode returns stay raw. Part of a trainer's
/// checkpoint.
/// - Matches: SB3 `VecNormalize` (clip_obs = clip_reward = 10, epsilon 1e-8, the agent's γ,
///   as RL-Zoo's `normalize: true`).
public struct VectorNormalization: Sendable, Hashable, Codable {
  /// Running moments of the observations; nil when observations are left raw.
  public var observations: RunningMoments?
  /// Running moments of the discounted returns G; nil when rewards are left raw.
  public var returns: RunningMoments?
  /// The discounted return G of each env's current episode.
  public var discountedReturns: [Double]
  public var gamma: Double
  public var clip: Double
  public static let epsilon = 1e-8

  public init(envs: Int, observationSize: Int, normalizesObservations: Bool, scalesRewards: Bool, gamma: Double, clip: Double) {
    observations = normalizesObservations ? RunningMoments(size: observationSize) : nil
    returns = scalesRewards ? RunningMoments(size: 1) : nil
    discountedReturns = [Double](repeating: 0, count: envs)
    self.gamma = gamma
    self.clip = clip
  }

  /// Merges `raw` `[N, d]` into the observation moments (a no-op without them).
  public mutating func update(observations raw: Tensor) {
    guard observations != nil else { return }
    let d = raw.shape[1], x = raw.floats
    observations?.update(rows: raw.shape[0]) { r, k in Double(x[r * d + k]) }
  }

  /// Writes the normalized `raw` `[N, d]` into `normalized` (a copy without moments).
  public func normalize(_ raw: Tensor, into normalized: inout Tensor) {
    let count = raw.count, x = raw.floats, y = normalized.mutableFloats()
    guard let moments = observations else {
      y.update(from: x, count: count)
      return
    }
    let d = moments.mean.count
    for j in 0..<count {
      let k = j % d
      let z = (Double(x[j]) - moments.mean[k]) / (moments.variance[k] + Self.epsilon).squareRoot()
      y[j] = Float(Swift.min(Swift.max(z, -clip), clip))
    }
  }

  /// Updates G and its moments with this step's `rewards` and writes the scaled rewards to
  /// `scaled` (row `offset + i` for env i); G restarts at 0 where `isDone(i)`.
  public mutating func scale(rewards: [Float], isDone: (Int) -> Bool, into scaled: inout [Float], offset: Int) {
    let n = rewards.count
    guard returns != nil else {
      for i in 0..<n { scaled[offset + i] = rewards[i] }
      return
    }
    for i in 0..<n { discountedReturns[i] = discountedReturns[i] * gamma + Double(rewards[i]) }
    let g = discountedReturns
    returns?.update(rows: n) { r, _ in g[r] }
    let scale = 1 / ((returns?.variance[0] ?? 1) + Self.epsilon).squareRoot()
    for i in 0..<n {
      scaled[offset + i] = Float(Swift.min(Swift.max(Double(rewards[i]) * scale, -clip), clip))
      if isDone(i) { discountedReturns[i] = 0 }
    }
  }
}
