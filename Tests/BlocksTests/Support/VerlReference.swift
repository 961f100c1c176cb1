import Foundation

/// Direct loops transcribing verl 0.9.1 `core_algos.py` (float64), the reference the
/// randomized block tests compare with. Arrays are [N][T]; masked positions are ignored.
enum VerlReference {
  /// `compute_grpo_outcome_advantage`: per-sequence advantages (group of one: mean 0, std 1).
  static func grpo(_ scores: [Double], groups: [Int], eps: Double = 1e-6, std: Bool = true) -> [Double] {
    var members: [Int: [Double]] = [:]
    for (g, r) in zip(groups, scores) { members[g, default: []].append(r) }
    return zip(groups, scores).map { g, r in
      let xs = members[g] ?? []
      guard xs.count > 1 else { return std ? r / (1 + eps) : r }
      let mean = xs.reduce(0, +) / Double(xs.count)
      let sd = (xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count - 1)).squareRoot()
      return std ? (r - mean) / (sd + eps) : r - mean
    }
  }

  /// `compute_rloo_outcome_advantage`.
  static func rloo(_ scores: [Double], groups: [Int]) -> [Double] {
    var members: [Int: [Double]] = [:]
    for (g, r) in zip(groups, scores) { members[g, default: []].append(r) }
    return zip(groups, scores).map { g, r in
      let xs = members[g] ?? []
      guard xs.count > 1 else { return r }
      let n = Double(xs.count), mean = xs.reduce(0, +) / n
      return r * n / (n - 1) - mean * n / (n - 1)
    }
  }

  /// `masked_whiten`: (x − mean)·rsqrt(var + 1e-8) over real tokens, var unbiased
  /// (`masked_mean` divides by n + 1e-8; `masked_var` multiplies by n / (n − 1)).
  static func whiten(_ x: [[Double]], mask: [[Double]], eps: Double = 1e-8) -> [[Double]] {
    let real = zip(x.joined(), mask.joined()).filter { $0.1 == 1 }.map(\.0)
    let n = Double(real.count), mean = real.reduce(0, +) / (n + 1e-8)
    let variance = real.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n + 1e-8) * n / (n - 1)
    return x.map { row in row.map { ($0 - mean) / (variance + eps).squareRoot() } }
  }

  /// `compute_gae_advantage_return`: (advantages before whitening, returns).
  static func gae(rewards: [[Double]], values: [[Double]], mask: [[Double]], gamma: Double, lambda: Double) -> ([[Double]], [[Double]]) {
    let n = rewards.count, t = rewards[0].count
    var advantages = [[Double]](repeating: [Double](repeating: 0, count: t), count: n)
    for i in 0..<n {
      var nextValue = 0.0, last = 0.0
      for k in stride(from: t - 1, through: 0, by: -1) {
        let delta = rewards[i][k] + gamma * nextValue - values[i][k]
        let candidate = delta + gamma * lambda * last
        if mask[i][k] == 1 { nextValue = values[i][k]; last = candidate }
        advantages[i][k] = last
      }
    }
    let returns = zip(advantages, values).map { zip($0, $1).map { $0 + $1 } }
    return (advantages, returns)
  }

  /// `compute_reinforce_plus_plus_outcome_advantage`: (whitened advantages, returns).
  static func reinforcePlusPlus(rewards: [[Double]], mask: [[Double]], gamma: Double) -> ([[Double]], [[Double]]) {
    var returns = rewards
    for i in 0..<rewards.count {
      var running = 0.0
      for k in stride(from: rewards[i].count - 1, through: 0, by: -1) {
        running = rewards[i][k] + gamma * running
        returns[i][k] = running
        running *= mask[i][k]
      }
    }
    return (whiten(returns, mask: mask), returns)
  }

  /// `kl_penalty` for one token: `kl`, `abs`, `mse`, `low_var_kl`.
  static func kl(_ logp: Double, _ ref: Double, _ estimator: String) -> Double {
    switch estimator {
    case "k1": return logp - ref
    case "abs": return abs(logp - ref)
    case "k2": return 0.5 * (logp - ref) * (logp - ref)
    default:
      let x = min(max(ref - logp, -20), 20)
      return min(max(exp(x) - x - 1, -10), 10)
    }
  }

  /// `compute_policy_loss_vanilla` for one token (dual clip c, or none).
  static func clippedLoss(ratio: Double, advantage a: Double, low: Double, high: Double, dual: Double?) -> Double {
    let clipped = max(-a * ratio, -a * min(max(ratio, 1 - low), 1 + high))
    guard let dual, a < 0 else { return clipped }
    return min(clipped, -a * dual)
  }
}
