import Core

/// A first-order optimizer: updates parameters in place from their gradients.
///
/// Optimizers are values that own their state (momentum buffers, moment estimates, the step
/// count). State is created lazily on the first `step`, one buffer per parameter, and is kept
/// between steps, so the same parameter list (same order, same shapes) must be passed every time.
/// In the steady state a step allocates nothing: every buffer is updated in place with
/// `SIMD16<Float>` loops.
///
///     var optimizer = try AdamW(learningRate: 3e-4)
///     for iteration in 0..<iterations {
///       optimizer.learningRate = schedule.value(at: iteration)
///       try optimizer.step(parameters: &parameters, gradients: gradients)
///     }
public protocol Optimizer: Sendable {
  /// The learning rate of the next step; a `LearningRateSchedule` sets it before each step.
  var learningRate: Float { get set }

  /// Number of steps taken so far (torch's `state["step"]`).
  var stepCount: Int { get }

  /// A copy of the optimizer's state, for checkpoints (the tensors are shared copy-on-write).
  var state: OptimizerState { get }

  /// Replaces the optimizer's state with one read back from a checkpoint.
  ///
  /// - Throws: `OptimError.invalidState` when the buffer names are not this optimizer's or the
  ///   buffers hold different numbers of tensors. Shapes are checked against the parameters at
  ///   the next `step`.
  mutating func restore(_ state: OptimizerState) throws(OptimError)

  /// Applies one update to every parameter from its gradient.
  ///
  /// - Parameters:
  ///   - parameters: float32 tensors, updated in place; pass the same list in the same order
  ///     every step. A parameter whose storage is shared is copied first (copy-on-write).
  ///   - gradients: one per parameter, same shape.
  /// - Throws: `OptimError` when counts, shapes or dtypes do not match (each parameter, gradient
  ///   and state buffer is checked before anything is written, so a failed step changes nothing).
  mutating func step(parameters: inout [Tensor], gradients: [Tensor]) throws(OptimError)
}

/// An optimizer's state as plain tensors, for checkpoints.
///
/// `buffers` maps a buffer name to one tensor per parameter, in parameter order. Names follow
/// torch's `optimizer.state_dict()`: SGD keeps `"momentum_buffer"`, Adam and AdamW keep
/// `"exp_avg"` (first moment) and `"exp_avg_sq"` (second moment). Before the first step the
/// buffers are empty.
public struct OptimizerState: Sendable, Equatable {
  /// Number of steps taken.
  public var step: Int
  /// Per-parameter buffers by name, each indexed like the parameters.
  public var buffers: [String: [Tensor]]

  /// A state at `step` with the given buffers (the empty state of a new optimizer by default).
  public init(step: Int = 0, buffers: [String: [Tensor]] = [:]) {
    self.step = step
    self.buffers = buffers
  }
}
