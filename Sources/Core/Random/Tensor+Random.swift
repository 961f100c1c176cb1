/// Random tensors from a `Philox` generator, filled in row-major order.
extension Tensor {
  /// A tensor of independent uniform draws in [low, high) (`Philox.uniform(low:high:)`).
  public static func uniform(shape: Shape, low: Float = 0, high: Float = 1, rng: inout Philox) -> Tensor {
    var tensor = Tensor(zeros: shape)
    rng.fill(uniform: tensor.mutableFloats(), count: shape.count, low: low, high: high)
    return tensor
  }

  /// A tensor of independent normal draws (`Philox.normal(mean:std:)`).
  public static func normal(shape: Shape, mean: Float = 0, std: Float = 1, rng: inout Philox) -> Tensor {
    var tensor = Tensor(zeros: shape)
    rng.fill(normal: tensor.mutableFloats(), count: shape.count, mean: mean, std: std)
    return tensor
  }
}
