import Foundation
import Graph

/// Log-probabilities and entropies of the policy's action distributions, emitted as graph
/// formulas (differentiable) and as scalar reference functions (sampling, tests).
public enum ActionDistribution {
  /// ½·log(2π).
  static let halfLogTwoPi = Float(0.5 * log(2 * Double.pi))

  // MARK: - Categorical

  /// log π(a) = logits[a] − logsumexp(logits): `[B, n]` logits, int32 `[B]` actions → `[B]`.
  public static func categoricalLogProb(logits: Value, actions: Value) -> Value {
    logits.logSoftmax(axis: -1).gatherLastAxis(actions)
  }

  /// H = −Σ_a π(a) log π(a): `[B, n]` logits → `[B]`.
  public static func categoricalEntropy(logits: Value) -> Value {
    let logProbs = logits.logSoftmax(axis: -1)
    return -(exp(logProbs) * logProbs).sum(axis: -1)
  }

  // MARK: - Diagonal Gaussian

  /// log N(a; μ, σ²) summed over the d action dimensions:
  ///
  ///     Σ_d  −(a − μ)² / (2σ²) − log σ − ½ log 2π
  ///
  /// `[B, d]` means, `[1, d]` (or `[B, d]`) log std, `[B, d]` actions → `[B]`.
  public static func gaussianLogProb(mean: Value, logStd: Value, actions: Value) -> Value {
    let z = (actions - mean) * exp(-logStd)
    return (square(z) * -0.5 - logStd - halfLogTwoPi).sum(axis: -1)
  }

  /// H = Σ_d ½ + ½ log 2π + log σ: `[1, d]` log std (the same for every row) or `[B, d]` → `[B]`.
  public static func gaussianEntropy(logStd: Value, batch: Int) -> Value {
    let perRow = (logStd + (0.5 + halfLogTwoPi)).sum(axis: -1)  // [1] or [B]
    return logStd.shape[0] == batch ? perRow : perRow.broadcast(to: [batch])
  }

  // MARK: - KL divergence to an earlier policy

  /// KL(π_old ‖ π) = Σ_a π_old(a)·(log π_old(a) − log π(a)): `[B, n]` logits → `[B]`.
  public static func categoricalKL(oldLogits: Value, logits: Value) -> Value {
    let oldLogProbs = oldLogits.logSoftmax(axis: -1)
    return (exp(oldLogProbs) * (oldLogProbs - logits.logSoftmax(axis: -1))).sum(axis: -1)
  }

  /// KL(N(μ_old, σ_old²) ‖ N(μ, σ²)) summed over the d dimensions:
  ///
  ///     Σ_d  log σ − log σ_old + (σ_old² + (μ_old − μ)²) / (2σ²) − ½
  ///
  /// `[B, d]` means, `[1, d]` log stds → `[B]`.
  public static func gaussianKL(oldMean: Value, oldLogStd: Value, mean: Value, logStd: Value) -> Value {
    let ratio = exp((oldLogStd - logStd) * 2)  // σ_old² / σ²
    let z = (oldMean - mean) * exp(-logStd)
    return (logStd - oldLogStd + (ratio + square(z)) * 0.5 - 0.5).sum(axis: -1)
  }
}
