/// Softmax and log-softmax along one axis (the last by default).
///
///     softmax(x)ᵢ    = e^(xᵢ − m) / Σⱼ e^(xⱼ − m),   m = maxⱼ xⱼ
///     logSoftmax(x)ᵢ = xᵢ − m − log Σⱼ e^(xⱼ − m)
///
/// The last axis runs the row kernels of `Softmax`; another axis runs the same max-shifted
/// steps with the reduction and elementwise kernels over [outer, extent, inner]. As in torch,
/// a slice that is all −inf gives NaN.
extension Tensor {
  /// Softmax along `axis` (negative counts from the end); same shape.
  public func softmax(axis: Int = -1) throws(CoreError) -> Tensor {
    try normalized(op: "softmax", axis: axis, logarithmic: false)
  }

  /// Log-softmax along `axis` (negative counts from the end); same shape.
  public func logSoftmax(axis: Int = -1) throws(CoreError) -> Tensor {
    try normalized(op: "logSoftmax", axis: axis, logarithmic: true)
  }

  private func normalized(op: String, axis: Int, logarithmic: Bool) throws(CoreError) -> Tensor {
    guard let resolved = shape.normalizedAxis(axis) else { throw .invalidAxis(op: op, axis: axis, shape: shape) }
    guard dtype == .float32 else { throw .dtypeMismatch(op: op, expected: .float32, got: dtype) }
    let (outer, extent, inner) = shape.split(at: resolved)
    var result = Tensor(zeros: shape)
    let y = result.mutableFloats()
    if inner == 1 {
      if logarithmic {
        Softmax.logSoftmax(floats, y, rows: outer, cols: extent)
      } else {
        Softmax.softmax(floats, y, rows: outer, cols: extent)
      }
      return result
    }
    // Strided axis: m = max over the axis, y = e^(x − m), s = Σ y, then y/s or (x − m) − log s.
    var maxima = Tensor(zeros: [outer, inner])
    var sums = Tensor(zeros: [outer, inner])
    let m = maxima.mutableFloats(), s = sums.mutableFloats()
    Reduction.reduce(.max, floats, outer: outer, extent: extent, inner: inner, into: m)
    for o in 0..<outer {
      for e in 0..<extent {
        let row = y + (o * extent + e) * inner
        Elementwise.apply(.sub, floats + (o * extent + e) * inner, m + o * inner, row, count: inner)
        Elementwise.apply(.exp, row, row, count: inner)
      }
    }
    Reduction.reduce(.sum, y, outer: outer, extent: extent, inner: inner, into: s)
    if logarithmic { Elementwise.apply(.log, s, s, count: outer * inner) }
    for o in 0..<outer {
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        if logarithmic {
          // NOTE: (x − m) − log s, not x − (m + log s), which would round at the scale of m.
          Elementwise.apply(.sub, floats + offset, m + o * inner, y + offset, count: inner)
          Elementwise.apply(.sub, y + offset, s + o * inner, y + offset, count: inner)
        } else {
          Elementwise.apply(.div, y + offset, s + o * inner, y + offset, count: inner)
        }
      }
    }
    return result
  }
}
