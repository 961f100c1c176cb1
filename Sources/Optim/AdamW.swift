import Core

/// Adam with decoupled weight decay: the parameters shrink by `1 − lr·weightDecay` before the
/// Adam update, and the decay never passes through the moment estimates:
///
///     p  ← p · (1 − lr · weightDecay)
///     m  ← β1·m + (1 − β1)·g              v ← β2·v + (1 − β2)·g²
///     p  ← p − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
///
/// - Paper: Loshchilov & Hutter 2017, "Decoupled Weight Decay Regularization" (arXiv:1711.05101);
///   Adam: Kingma & Ba 2014 (arXiv:1412.6980).
/// - Matches: `torch.optim.AdamW`, including its default weight decay 0.01 (see tests).
public struct AdamW: Optimizer {
  /// Name of the first-moment buffer in `state` (torch's `exp_avg`).
  public static let firstMomentName = AdamMoments.firstMomentName
  /// Name of the second-moment buffer in `state` (torch's `exp_avg_sq`).
  public static let secondMomentName = AdamMoments.secondMomentName

  /// The learning rate of the next step; schedules set it before each step.
  public var learningRate: Float
  /// Decay rates (β1, β2) of the first and second moment estimates; `Double` like torch's
  /// Python floats, so that 1 − β is computed from the decimal value.
  public let betas: (Double, Double)
  /// Added to the bias-corrected √v̂ in the denominator.
  public let eps: Float
  /// Decoupled decay λ: each step multiplies the parameters by 1 − lr·λ.
  public let weightDecay: Float

  private var moments = AdamMoments()

  /// - Throws: `OptimError.invalidHyperparameter` for a negative or non-finite learning rate,
  ///   eps or weight decay, or a β outside [0, 1).
  public init(learningRate: Float = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Float = 1e-8,
              weightDecay: Float = 0.01) throws(OptimError) {
    try AdamMoments.validate(learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    self.learningRate = learningRate
    self.betas = betas
    self.eps = eps
    self.weightDecay = weightDecay
  }

  /// Number of steps taken (the t of the bias corrections).
  public var stepCount: Int { moments.stepCount }
  /// The step count and the `exp_avg` / `exp_avg_sq` buffers (empty before the first step).
  public var state: OptimizerState { moments.state }

  /// Replaces the state with a checkpointed one; see `Optimizer.restore(_:)`.
  public mutating func restore(_ state: OptimizerState) throws(OptimError) {
    try moments.restore(state)
  }

  /// One update of every parameter; see `Optimizer.step(parameters:gradients:)`.
  public mutating func step(parameters: inout [Tensor], gradients: [Tensor]) throws(OptimError) {
    try moments.step(parameters: &parameters, gradients: gradients, learningRate: learningRate, betas: betas,
                     eps: eps, weightDecay: weightDecay, mode: .decoupled)
  }
}
