/// Reductions over one axis. The reduced axis is removed from the shape; negative axes count
/// from the end (−1 is the last).
///
/// `mask`, if given, must have the tensor's shape. Entries whose mask is 0 are ignored, even
/// a NaN there; sum, mean and variance weight entries by their mask value, max and
/// logSumExp treat any nonzero value as "included". Sums accumulate blockwise in `Double`.
///
///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
///     try x.sum(axis: 1)                               // [6, 15]
///     try x.mean(axis: -1, mask: Tensor(shape: [2, 3], scalars: [1, 1, 0, 0, 0, 0]))  // [1.5, 0]
extension Tensor {
  /// Σ x (or Σ m·x) over `axis`; an all-masked row gives 0.
  public func sum(axis: Int, mask: Tensor? = nil) throws(CoreError) -> Tensor {
    try reduced(op: "sum", axis: axis, mask: mask) { x, m, outer, extent, inner, y in
      if let m {
        Reduction.sum(x, mask: m, outer: outer, extent: extent, inner: inner, into: y)
      } else {
        Reduction.reduce(.sum, x, outer: outer, extent: extent, inner: inner, into: y)
      }
    }
  }

  /// Σ m·x / Σ m over `axis` (Σ x / n unmasked). An all-masked row gives 0; an empty axis
  /// without a mask gives NaN, as torch.mean does.
  public func mean(axis: Int, mask: Tensor? = nil) throws(CoreError) -> Tensor {
    try reduced(op: "mean", axis: axis, mask: mask) { x, m, outer, extent, inner, y in
      if let m {
        Reduction.mean(x, mask: m, outer: outer, extent: extent, inner: inner, into: y)
      } else {
        Reduction.reduce(.sum, x, outer: outer, extent: extent, inner: inner, into: y)
        Elementwise.apply(.div, UnsafePointer(y), scalar: Float(extent), y, count: outer * inner)
      }
    }
  }

  /// The largest entry over `axis` (masked entries ignored); NaN propagates, an all-masked
  /// or empty row gives −inf.
  public func max(axis: Int, mask: Tensor? = nil) throws(CoreError) -> Tensor {
    try reduced(op: "max", axis: axis, mask: mask) { x, m, outer, extent, inner, y in
      if let m {
        Reduction.max(x, mask: m, outer: outer, extent: extent, inner: inner, into: y)
      } else {
        Reduction.reduce(.max, x, outer: outer, extent: extent, inner: inner, into: y)
      }
    }
  }

  /// log Σ exp(x) over `axis`, shifted by the row max so nothing overflows:
  ///
  ///     logSumExp(x) = m + log Σ exp(x − m),   m = max x
  ///
  /// An all-masked or all −inf row gives −inf.
  public func logSumExp(axis: Int, mask: Tensor? = nil) throws(CoreError) -> Tensor {
    try reduced(op: "logSumExp", axis: axis, mask: mask) { x, m, outer, extent, inner, y in
      Reduction.logSumExp(x, mask: m, outer: outer, extent: extent, inner: inner, into: y)
    }
  }

  /// The (weighted) variance over `axis`, two-pass:
  ///
  ///     var = Σ m·(x − mean)² / (n − 1)    unbiased (the default, like torch.var)
  ///     var = Σ m·(x − mean)² / n          unbiased: false
  ///
  /// with n = Σ m (the axis length unmasked). n − 1 ≤ 0 (or n = 0) gives NaN, as in torch.
  public func variance(axis: Int, mask: Tensor? = nil, unbiased: Bool = true) throws(CoreError) -> Tensor {
    try reduced(op: "variance", axis: axis, mask: mask) { x, m, outer, extent, inner, y in
      Reduction.variance(x, mask: m, outer: outer, extent: extent, inner: inner, unbiased: unbiased, into: y)
    }
  }

  /// Checks the axis, dtype and mask, then runs `kernel` on [outer, extent, inner] into a
  /// fresh tensor of the reduced shape.
  private func reduced(
    op: String, axis: Int, mask: Tensor?,
    kernel: (UnsafePointer<Float>, UnsafePointer<Float>?, Int, Int, Int, UnsafeMutablePointer<Float>) -> Void
  ) throws(CoreError) -> Tensor {
    guard let resolved = shape.normalizedAxis(axis) else { throw .invalidAxis(op: op, axis: axis, shape: shape) }
    guard dtype == .float32 else { throw .dtypeMismatch(op: op, expected: .float32, got: dtype) }
    if let mask {
      guard mask.shape == shape else {
        throw .shapeMismatch(op: op, shapes: [shape, mask.shape], reason: "the mask must have the tensor's shape")
      }
      guard mask.dtype == .float32 else { throw .dtypeMismatch(op: op, expected: .float32, got: mask.dtype) }
    }
    let (outer, extent, inner) = shape.split(at: resolved)
    var result = Tensor(zeros: shape.removing(axis: resolved))
    kernel(floats, mask?.floats, outer, extent, inner, result.mutableFloats())
    return result
  }
}
