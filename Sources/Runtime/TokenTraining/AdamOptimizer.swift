import Optim

/// The optimizer a token or preference run steps with: AdamW when a decoupled weight decay is
/// set, Adam otherwise.
func adamOptimizer(learningRate: Double, betas: (Double, Double), eps: Double, weightDecay: Double?) throws(RuntimeError) -> any Optimizer {
  do {
    if let weightDecay {
      return try AdamW(learningRate: Float(learningRate), betas: betas, eps: Float(eps), weightDecay: Float(weightDecay))
    }
    return try Adam(learningRate: Float(learningRate), betas: betas, eps: Float(eps))
  } catch { throw .optim(error) }
}

/// The learning rate of step `k` (0-based) of `steps` in a token or preference run: `rate`,
/// or with `annealTo` (`schedule.lr.linear.to`) moving linearly toward it,
///
///     rate_k = rate + (annealTo − rate) · k / steps
///
/// so the first step takes `rate` and the last `rate + (annealTo − rate) · (steps − 1) / steps`
/// (CleanRL's PPO annealing with `annealTo = 0`).
func annealedRate(_ rate: Double, to annealTo: Double?, step k: Int, of steps: Int) -> Double {
  guard let annealTo else { return rate }
  return rate + (annealTo - rate) * (Double(k) / Double(steps))
}
