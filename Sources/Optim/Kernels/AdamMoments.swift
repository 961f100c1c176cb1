import Core
import Foundation

/// The moment estimates and update shared by `Adam` and `AdamW`, which differ only in how the
/// weight decay enters (`WeightDecay`).
struct AdamMoments: Sendable {
  /// How λ enters the update.
  enum WeightDecay {
    /// Adam's L2 penalty: g ← g + λ·p before the moments (torch.optim.Adam).
    case coupled
    /// AdamW: p ← p·(1 − lr·λ) before the Adam update (torch.optim.AdamW).
    case decoupled
  }

  static let firstMomentName = "exp_avg"
  static let secondMomentName = "exp_avg_sq"

  var stepCount = 0
  var firstMoments: [Tensor] = []
  var secondMoments: [Tensor] = []

  var state: OptimizerState {
    guard !firstMoments.isEmpty else { return OptimizerState(step: stepCount) }
    return OptimizerState(step: stepCount,
                          buffers: [Self.firstMomentName: firstMoments, Self.secondMomentName: secondMoments])
  }

  mutating func restore(_ state: OptimizerState) throws(OptimError) {
    try OptimizerValidation.check(state: state, names: [Self.firstMomentName, Self.secondMomentName])
    stepCount = state.step
    firstMoments = state.buffers[Self.firstMomentName] ?? []
    secondMoments = state.buffers[Self.secondMomentName] ?? []
  }

  static func validate(learningRate: Float, betas: (Double, Double), eps: Float, weightDecay: Float) throws(OptimError) {
    try OptimizerValidation.require("learningRate", learningRate, atLeast: 0)
    try OptimizerValidation.requireUnitInterval("beta1", betas.0)
    try OptimizerValidation.requireUnitInterval("beta2", betas.1)
    try OptimizerValidation.require("eps", eps, atLeast: 0)
    try OptimizerValidation.require("weightDecay", weightDecay, atLeast: 0)
  }

  /// One step, in torch's order of operations (`_single_tensor_adam`); the scalar factors are
  /// computed in `Double` as torch computes them in Python floats. The betas are `Double` for
  /// the same reason: 1 − β2 from `Float(0.999)` is off by 1.3e-5 relative, which shows in v.
  ///
  ///     t  += 1
  ///     m  ← m + (1 − β1)·(g − m)                 // torch's lerp_
  ///     v  ← β2·v + (1 − β2)·g·g
  ///     p  ← p − (lr / (1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + eps)
  mutating func step(parameters: inout [Tensor], gradients: [Tensor], learningRate: Float, betas: (Double, Double),
                     eps: Float, weightDecay: Float, mode: WeightDecay) throws(OptimError) {
    try OptimizerValidation.check(parameters: parameters, gradients: gradients)
    try OptimizerValidation.check(buffer: firstMoments, named: Self.firstMomentName, against: parameters)
    try OptimizerValidation.check(buffer: secondMoments, named: Self.secondMomentName, against: parameters)
    if firstMoments.isEmpty {
      firstMoments = parameters.map { Tensor(zeros: $0.shape) }
      secondMoments = firstMoments.map { Tensor(zeros: $0.shape) }
    }
    stepCount += 1
    let t = Double(stepCount)
    let (beta1, beta2) = betas
    let factors = Factors(
      coupledDecay: mode == .coupled ? weightDecay : 0,
      decayFactor: mode == .decoupled ? Float(1 - Double(learningRate) * Double(weightDecay)) : 1,
      firstInflow: Float(1 - beta1),
      beta2: Float(beta2),
      secondInflow: Float(1 - beta2),
      negativeStepSize: Float(-Double(learningRate) / (1 - pow(beta1, t))),
      secondCorrectionRoot: Float((1 - pow(beta2, t)).squareRoot()),
      eps: eps,
      hasDecoupledDecay: mode == .decoupled && weightDecay != 0)
    for i in parameters.indices {
      let count = parameters[i].count
      Self.update(parameters[i].mutableFloats(), gradients[i].floats, firstMoments[i].mutableFloats(),
                  secondMoments[i].mutableFloats(), count: count, factors)
    }
  }

  /// The loop-invariant scalars of one step.
  struct Factors {
    var coupledDecay: Float
    var decayFactor: Float
    var firstInflow: Float
    var beta2: Float
    var secondInflow: Float
    var negativeStepSize: Float
    var secondCorrectionRoot: Float
    var eps: Float
    var hasDecoupledDecay: Bool
  }

  private static func update(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                             _ m: UnsafeMutablePointer<Float>, _ v: UnsafeMutablePointer<Float>,
                             count: Int, _ f: Factors) {
    @inline(__always) func update(_ i: Int, _ n: Int) {
      var pv = Lanes.load(p, i, n)
      // NOTE: torch multiplies by (1 − lr·λ) only when λ ≠ 0; skipping keeps ±∞ parameters as torch has them.
      if f.hasDecoupledDecay { pv *= f.decayFactor }
      let gv = Lanes.load(g, i, n) + f.coupledDecay * pv
      var mv = Lanes.load(m, i, n)
      // torch's lerp_(g, w) with w = 1 − β1: m + w·(g − m) when |w| < 0.5, else g − (g − m)·(1 − w).
      if f.firstInflow < 0.5 { mv += f.firstInflow * (gv - mv) } else { mv = gv - (gv - mv) * (1 - f.firstInflow) }
      let vv = f.beta2 * Lanes.load(v, i, n) + f.secondInflow * gv * gv
      let denominator = vv.squareRoot() / f.secondCorrectionRoot + f.eps
      Lanes.store(mv, m, i, n)
      Lanes.store(vv, v, i, n)
      // torch's addcdiv_: p + (value·m) / denom.
      Lanes.store(pv + (f.negativeStepSize * mv) / denominator, p, i, n)
    }
    var i = 0
    while i + Lanes.width <= count { update(i, Lanes.width); i += Lanes.width }
    if i < count { update(i, count - i) }
  }
}
