import Core

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2
/// weight decay, with exactly `torch.optim.SGD`'s update:
///
///     d = g + weightDecay · p
///     b = d                                          // first step: no dampening
///     b = momentum · b + (1 − dampening) · d         // later steps
///     d = nesterov ? d + momentum · b : b            // when momentum ≠ 0
///     p = p − learningRate · d
///
/// - Papers: Robbins & Monro 1951 (SGD); Polyak 1964 (heavy-ball momentum); Sutskever, Martens,
///   Dahl & Hinton 2013, "On the importance of initialization and momentum in deep learning"
///   (the Nesterov form torch uses).
/// - Matches: `torch.optim.SGD` (see tests).
public struct SGD: Optimizer {
  /// The state buffer name, as in torch's `state_dict()`.
  public static let momentumBufferName = "momentum_buffer"

  /// The learning rate of the next step; schedules set it before each step.
  public var learningRate: Float
  /// Momentum factor μ; 0 turns momentum off (no buffer is kept).
  public let momentum: Float
  /// Dampening τ for momentum: the gradient enters the buffer scaled by 1 − τ (after step 1).
  public let dampening: Float
  /// L2 penalty λ added to the gradient as λ·p.
  public let weightDecay: Float
  /// Nesterov momentum: step along d + μ·b instead of b.
  public let nesterov: Bool

  /// Number of steps taken.
  public private(set) var stepCount = 0
  /// One buffer per parameter once the first step with momentum has run; empty before.
  private var momentumBuffers: [Tensor] = []

  /// - Throws: `OptimError.invalidHyperparameter` for a negative or non-finite learning rate,
  ///   momentum or weight decay, or Nesterov without momentum or with dampening (as torch does).
  public init(learningRate: Float, momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0,
              nesterov: Bool = false) throws(OptimError) {
    try OptimizerValidation.require("learningRate", learningRate, atLeast: 0)
    try OptimizerValidation.require("momentum", momentum, atLeast: 0)
    try OptimizerValidation.require("weightDecay", weightDecay, atLeast: 0)
    guard dampening.isFinite else {
      throw .invalidHyperparameter(name: "dampening", value: dampening, reason: "must be finite")
    }
    if nesterov, momentum <= 0 || dampening != 0 {
      throw .invalidHyperparameter(name: "momentum", value: momentum,
                                   reason: "Nesterov momentum needs momentum > 0 and dampening 0")
    }
    self.learningRate = learningRate
    self.momentum = momentum
    self.dampening = dampening
    self.weightDecay = weightDecay
    self.nesterov = nesterov
  }

  /// The step count and the `momentum_buffer` tensors (none without momentum or before step 1).
  public var state: OptimizerState {
    OptimizerState(step: stepCount, buffers: momentumBuffers.isEmpty ? [:] : [Self.momentumBufferName: momentumBuffers])
  }

  /// Replaces the state with a checkpointed one; see `Optimizer.restore(_:)`.
  public mutating func restore(_ state: OptimizerState) throws(OptimError) {
    let names: Set<String> = momentum == 0 ? [] : [Self.momentumBufferName]
    try OptimizerValidation.check(state: state, names: names)
    stepCount = state.step
    momentumBuffers = state.buffers[Self.momentumBufferName] ?? []
  }

  /// One update of every parameter; see `Optimizer.step(parameters:gradients:)`.
  public mutating func step(parameters: inout [Tensor], gradients: [Tensor]) throws(OptimError) {
    try OptimizerValidation.check(parameters: parameters, gradients: gradients)
    try OptimizerValidation.check(buffer: momentumBuffers, named: Self.momentumBufferName, against: parameters)
    let isFirst = momentumBuffers.isEmpty
    if momentum != 0, isFirst {
      momentumBuffers = parameters.map { Tensor(zeros: $0.shape) }
    }
    for i in parameters.indices {
      let count = parameters[i].count
      let p = parameters[i].mutableFloats()
      let g = gradients[i].floats
      if momentum == 0 {
        Self.plainUpdate(p, g, count: count, learningRate: learningRate, weightDecay: weightDecay)
      } else {
        let b = momentumBuffers[i].mutableFloats()
        momentumUpdate(p, g, b, count: count, isFirst: isFirst)
      }
    }
    stepCount += 1
  }

  // MARK: - Kernels

  /// p ← p − lr·(g + λp).
  private static func plainUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, count: Int,
                                  learningRate: Float, weightDecay: Float) {
    let negativeRate = -learningRate
    @inline(__always) func update(_ i: Int, _ n: Int) {
      let pv = Lanes.load(p, i, n)
      let d = Lanes.load(g, i, n) + weightDecay * pv
      Lanes.store(pv + negativeRate * d, p, i, n)
    }
    var i = 0
    while i + Lanes.width <= count { update(i, Lanes.width); i += Lanes.width }
    if i < count { update(i, count - i) }
  }

  /// The momentum update; `isFirst` copies d into the buffer as torch does on step 1.
  private func momentumUpdate(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                              _ b: UnsafeMutablePointer<Float>, count: Int, isFirst: Bool) {
    let (negativeRate, mu, lambda, inflow, isNesterov) = (-learningRate, momentum, weightDecay, 1 - dampening, nesterov)
    @inline(__always) func update(_ i: Int, _ n: Int) {
      let pv = Lanes.load(p, i, n)
      let d = Lanes.load(g, i, n) + lambda * pv
      let buffer = isFirst ? d : mu * Lanes.load(b, i, n) + inflow * d
      Lanes.store(buffer, b, i, n)
      let direction = isNesterov ? d + mu * buffer : buffer
      Lanes.store(pv + negativeRate * direction, p, i, n)
    }
    var i = 0
    while i + Lanes.width <= count { update(i, Lanes.width); i += Lanes.width }
    if i < count { update(i, count - i) }
  }
}
