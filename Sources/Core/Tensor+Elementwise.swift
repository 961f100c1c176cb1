/// Elementwise functions on whole tensors, running the SIMD kernels of `Elementwise`.
///
/// Binary functions take operands of equal shape, or one rank-0 operand that pairs with
/// every element of the other. There is no other broadcasting: any other pair of shapes
/// throws `CoreError.shapeMismatch`, so a shape bug is never silently broadcast away.
///
///     let x = Tensor(shape: [3], scalars: [-1, 0, 2])
///     x.applying(.relu)                              // [0, 0, 2]
///     try x.applying(.mul, Tensor(scalar: 3))        // [-3, 0, 6]
extension Tensor {
  /// f applied to every element; same shape. The tensor must be float32.
  public func applying(_ f: UnaryFunction) -> Tensor {
    precondition(dtype == .float32, "\(f.rawValue) of an \(dtype) tensor")
    var result = Tensor(zeros: shape)
    Elementwise.apply(f, floats, result.mutableFloats(), count: count)
    return result
  }

  /// f(self, other) elementwise. The shapes must be equal or one side rank-0 (a scalar);
  /// the result has the non-scalar shape.
  public func applying(_ f: BinaryFunction, _ other: Tensor) throws(CoreError) -> Tensor {
    for operand in [self, other] where operand.dtype != .float32 {
      throw .dtypeMismatch(op: f.rawValue, expected: .float32, got: operand.dtype)
    }
    switch (shape == other.shape, shape.isScalar, other.shape.isScalar) {
    case (true, _, _):
      var result = Tensor(zeros: shape)
      Elementwise.apply(f, floats, other.floats, result.mutableFloats(), count: count)
      return result
    case (false, _, true):
      var result = Tensor(zeros: shape)
      Elementwise.apply(f, floats, scalar: other.scalar, result.mutableFloats(), count: count)
      return result
    case (false, true, _):
      var result = Tensor(zeros: other.shape)
      Elementwise.apply(f, scalar: scalar, other.floats, result.mutableFloats(), count: other.count)
      return result
    default:
      throw .shapeMismatch(op: f.rawValue, shapes: [shape, other.shape],
                           reason: "elementwise operands need equal shapes or a rank-0 side")
    }
  }

  /// condition != 0 ? a : b elementwise (a NaN condition picks `a`). `a` and `b` must have
  /// the condition's shape or be rank-0.
  public static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws(CoreError) -> Tensor {
    let shape = condition.shape
    for operand in [condition, a, b] where operand.dtype != .float32 {
      throw .dtypeMismatch(op: "select", expected: .float32, got: operand.dtype)
    }
    for operand in [a, b] where operand.shape != shape && !operand.shape.isScalar {
      throw .shapeMismatch(op: "select", shapes: [shape, a.shape, b.shape],
                           reason: "the branches need the condition's shape or rank 0")
    }
    let a = a.shape == shape ? a : Tensor(repeating: a.scalar, shape: shape)
    let b = b.shape == shape ? b : Tensor(repeating: b.scalar, shape: shape)
    var result = Tensor(zeros: shape)
    Elementwise.select(condition.floats, a.floats, b.floats, result.mutableFloats(), count: shape.count)
    return result
  }
}
