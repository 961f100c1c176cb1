import Core
import Optim

extension TransformerParameters {
  /// The tensors by name, in layout order (a checkpoint's `model.safetensors`).
  public var named: [(name: String, tensor: Tensor)] { zip(names, tensors).map { (name: $0.0, tensor: $0.1) } }

  /// These parameters with each tensor replaced by the one of the same name in `saved`.
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` naming the first tensor that `saved` lacks
  ///   or holds in another shape.
  func restored(from saved: [(name: String, tensor: Tensor)]) throws(RuntimeError) -> TransformerParameters {
    let byName = Dictionary(saved.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    var result = self
    for (index, name) in names.enumerated() {
      guard let tensor = byName[name], tensor.shape == tensors[index].shape, tensor.dtype == tensors[index].dtype else {
        throw .invalidCheckpoint(reason: "the checkpoint's weights do not fit the policy (\(name))")
      }
      result.tensors[index] = tensor
    }
    return result
  }

  /// `state`'s buffers as tensors named `<buffer>.<parameter>` (a checkpoint's `optimizer.safetensors`).
  func moments(of state: OptimizerState) -> [(name: String, tensor: Tensor)] {
    state.buffers.sorted { $0.key < $1.key }.flatMap { buffer, tensors in
      zip(names, tensors).map { (name: "\(buffer).\($0.0)", tensor: $0.1) }
    }
  }

  /// Adam's state after `step` steps from tensors named as `moments(of:)` names them (none
  /// before the first step).
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` naming the first moment that is missing or
  ///   does not fit its parameter.
  func adamState(step: Int, moments: [(name: String, tensor: Tensor)]) throws(RuntimeError) -> OptimizerState {
    guard step >= 0 else { throw .invalidCheckpoint(reason: "the optimizer state's step is \(step)") }
    var buffers: [String: [Tensor]] = [:]
    let byName = Dictionary(moments.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
    if step > 0 {
      for buffer in [Adam.firstMomentName, Adam.secondMomentName] {
        var moments: [Tensor] = []
        for (name, parameter) in zip(names, tensors) {
          guard let tensor = byName["\(buffer).\(name)"], tensor.shape == parameter.shape, tensor.dtype == parameter.dtype else {
            throw .invalidCheckpoint(reason: "the optimizer state lacks \(buffer).\(name) of shape \(parameter.shape)")
          }
          moments.append(tensor)
        }
        buffers[buffer] = moments
      }
    }
    return OptimizerState(step: step, buffers: buffers)
  }
}
