import Core

/// Checks shared by every optimizer's `step` and `restore`, run before anything is written.
enum OptimizerValidation {
  /// Counts, dtypes and shapes of parameters and gradients agree.
  static func check(parameters: [Tensor], gradients: [Tensor]) throws(OptimError) {
    guard parameters.count == gradients.count else {
      throw .countMismatch(parameters: parameters.count, gradients: gradients.count)
    }
    for i in parameters.indices {
      guard parameters[i].dtype == .float32 else { throw .notFloat(index: i, dtype: parameters[i].dtype) }
      guard gradients[i].dtype == .float32 else { throw .notFloat(index: i, dtype: gradients[i].dtype) }
      guard parameters[i].shape == gradients[i].shape else {
        throw .shapeMismatch(index: i, parameter: parameters[i].shape, gradient: gradients[i].shape)
      }
    }
  }

  /// An existing (non-empty) state buffer has one tensor per parameter, of the parameter's shape.
  static func check(buffer: [Tensor], named name: String, against parameters: [Tensor]) throws(OptimError) {
    guard !buffer.isEmpty else { return }
    guard buffer.count == parameters.count else {
      throw .stateCountMismatch(buffer: name, state: buffer.count, parameters: parameters.count)
    }
    for i in parameters.indices where buffer[i].shape != parameters[i].shape || buffer[i].dtype != .float32 {
      throw .stateShapeMismatch(buffer: name, index: i, state: buffer[i].shape, parameter: parameters[i].shape)
    }
  }

  /// A restored state names exactly `names` (or nothing, at step 0), with equal counts.
  static func check(state: OptimizerState, names: Set<String>) throws(OptimError) {
    guard state.step >= 0 else { throw .invalidState(reason: "negative step count \(state.step)") }
    let given = Set(state.buffers.keys)
    guard given == names || (given.isEmpty && state.step == 0) else {
      throw .invalidState(reason: "expected buffers \(names.sorted()) at step \(state.step), got \(given.sorted())")
    }
    let counts = Set(state.buffers.values.map(\.count))
    guard counts.count <= 1 else {
      throw .invalidState(reason: "buffers hold different numbers of tensors: \(counts.sorted())")
    }
  }

  /// `value` is finite and at least `minimum`.
  static func require(_ name: String, _ value: Float, atLeast minimum: Float) throws(OptimError) {
    guard value.isFinite, value >= minimum else {
      throw .invalidHyperparameter(name: name, value: value, reason: "must be a finite number ≥ \(minimum)")
    }
  }

  /// `value` is in [0, 1).
  static func requireUnitInterval(_ name: String, _ value: Double) throws(OptimError) {
    guard value >= 0, value < 1 else {
      throw .invalidHyperparameter(name: name, value: Float(value), reason: "must be in [0, 1)")
    }
  }
}
