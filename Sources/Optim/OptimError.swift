import Core

/// Errors from optimizers, clipping and initializers: arguments that do not fit together, or
/// hyperparameters outside what the method defines.
///
/// Each case names the tensor (by its index in the parameter list) or the hyperparameter, so the
/// message alone says what to fix.
public enum OptimError: Error, Equatable, CustomStringConvertible {
  /// `step` got a different number of parameters and gradients.
  case countMismatch(parameters: Int, gradients: Int)
  /// Parameter `index` and its gradient have different shapes.
  case shapeMismatch(index: Int, parameter: Shape, gradient: Shape)
  /// Tensor `index` is not a float32 tensor.
  case notFloat(index: Int, dtype: DType)
  /// The optimizer holds state for a different number of parameters than it was given.
  case stateCountMismatch(buffer: String, state: Int, parameters: Int)
  /// A state buffer's shape differs from its parameter's (e.g. after restoring another model's state).
  case stateShapeMismatch(buffer: String, index: Int, state: Shape, parameter: Shape)
  /// A state passed to `restore(_:)` that this optimizer cannot use.
  case invalidState(reason: String)
  /// A hyperparameter outside its valid range, e.g. a negative learning rate or β ≥ 1.
  case invalidHyperparameter(name: String, value: Float, reason: String)
  /// An initializer asked for a shape it is not defined on (e.g. fans of a rank-1 tensor).
  case unsupportedShape(initializer: String, shape: Shape, reason: String)

  /// The message, naming the tensor or hyperparameter at fault.
  public var description: String {
    switch self {
    case let .countMismatch(parameters, gradients):
      return "optimizer step: \(parameters) parameters but \(gradients) gradients"
    case let .shapeMismatch(index, parameter, gradient):
      return "optimizer step: parameter \(index) has shape \(parameter) but its gradient has shape \(gradient)"
    case let .notFloat(index, dtype):
      return "tensor \(index) is \(dtype); optimizers update float32 tensors only"
    case let .stateCountMismatch(buffer, state, parameters):
      return "optimizer state '\(buffer)' holds \(state) tensors but \(parameters) parameters were given"
    case let .stateShapeMismatch(buffer, index, state, parameter):
      return "optimizer state '\(buffer)' for parameter \(index) has shape \(state) but the parameter has shape \(parameter)"
    case let .invalidState(reason):
      return "cannot restore optimizer state: \(reason)"
    case let .invalidHyperparameter(name, value, reason):
      return "invalid \(name) \(value): \(reason)"
    case let .unsupportedShape(initializer, shape, reason):
      return "\(initializer) initializer cannot fill shape \(shape): \(reason)"
    }
  }
}
