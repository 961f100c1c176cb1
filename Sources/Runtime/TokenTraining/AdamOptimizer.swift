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
