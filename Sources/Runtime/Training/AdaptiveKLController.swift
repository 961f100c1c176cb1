/// The adaptive KL coefficient of `kl: {coef, adaptive: {target, horizon}}`: after each batch,
/// with the measured KL and the number of samples it covered,
///
///     e = clip(KL / target − 1, −0.2, 0.2)
///     coef ← coef · (1 + e · samples / horizon)
///
/// so a KL above the target raises the coefficient by at most 20% per `horizon` samples, and
/// one below lowers it likewise. A token trainer holds one, starting at `kl.coef`, and feeds
/// the coefficient to the update as an input.
///
/// - Papers: Ziegler et al. 2019, "Fine-Tuning Language Models from Human Preferences"
///   (arXiv:1909.08593, §2.2).
/// - Matches: TRL and OpenRLHF `AdaptiveKLController.update(current, n_steps)`, verl
///   `AdaptiveKLController` (see tests).
public struct AdaptiveKLController: Sendable, Equatable, Codable {
  /// The coefficient now.
  public private(set) var coefficient: Double
  /// The KL the coefficient steers towards (> 0).
  public let target: Double
  /// Samples over which a full ±20% correction accumulates (≥ 1).
  public let horizon: Int

  /// A controller starting at `initial`. The recipe checker guarantees `target > 0` and
  /// `horizon ≥ 1` (`kl.adaptive`'s declared ranges).
  public init(initial: Double, target: Double, horizon: Int) {
    precondition(target > 0 && horizon >= 1, "kl.adaptive: target must be > 0 and horizon ≥ 1 (checked by the recipe checker)")
    (coefficient, self.target, self.horizon) = (initial, target, horizon)
  }

  /// Moves the coefficient after a batch of `samples` whose measured KL was `kl`. A
  /// non-finite KL leaves it unchanged: the trainer stops on the non-finite loss that made it.
  public mutating func update(kl: Double, samples: Int) {
    guard kl.isFinite else { return }
    let error = Swift.min(Swift.max(kl / target - 1, -0.2), 0.2)
    coefficient *= 1 + error * Double(samples) / Double(horizon)
  }
}
