import Core

// MARK: - Reductions and the composites built from them

extension Value {
  /// Sum over `axis` (negative counts from the end); the axis is removed unless `keepingDims`.
  public func sum(axis: Int, keepingDims: Bool = false) -> Value {
    reduce(.sum, axis: axis, keepingDims: keepingDims)
  }

  /// Maximum over `axis`; the gradient is shared equally among tied maxima.
  public func max(axis: Int, keepingDims: Bool = false) -> Value {
    reduce(.max, axis: axis, keepingDims: keepingDims)
  }

  /// Sum of all elements, rank 0.
  public func sum() -> Value {
    rank == 0 ? self : reshaped(to: [shape.count]).sum(axis: 0)
  }

  /// Mean of all elements, rank 0.
  public func mean() -> Value { sum() * (1 / Float(Swift.max(shape.count, 1))) }

  /// Mean over `axis`.
  public func mean(axis: Int, keepingDims: Bool = false) -> Value {
    guard let resolved = checkedAxis(axis, op: "mean") else { return self }
    return sum(axis: resolved, keepingDims: keepingDims) * (1 / Float(Swift.max(shape[resolved], 1)))
  }

  /// Σ x·mask over `axis`.
  public func sum(axis: Int, mask: Value, keepingDims: Bool = false) -> Value {
    (self * mask).sum(axis: axis, keepingDims: keepingDims)
  }

  /// Σ x·mask / Σ mask over `axis`; a row with no unmasked element gives 0.
  public func mean(axis: Int, mask: Value, keepingDims: Bool = false) -> Value {
    let total = (self * mask).sum(axis: axis, keepingDims: keepingDims)
    let count = mask.sum(axis: axis, keepingDims: keepingDims)
    return total / builder.binary(.max, count, builder.scalar(1))
  }

  /// Variance over `axis`, divided by n − 1 when `unbiased` (torch's default) else by n.
  public func variance(axis: Int, unbiased: Bool = true, keepingDims: Bool = false) -> Value {
    guard let resolved = checkedAxis(axis, op: "variance") else { return self }
    let n = Float(shape[resolved])
    let centered = self - mean(axis: resolved, keepingDims: true)
    return square(centered).sum(axis: resolved, keepingDims: keepingDims) * (1 / (unbiased ? n - 1 : n))
  }

  /// Standard deviation over `axis` (see `variance`).
  public func standardDeviation(axis: Int, unbiased: Bool = true, keepingDims: Bool = false) -> Value {
    sqrt(variance(axis: axis, unbiased: unbiased, keepingDims: keepingDims))
  }

  /// log Σ exp(x) over `axis`, shifted by the (gradient-free) maximum so it never overflows.
  public func logSumExp(axis: Int, keepingDims: Bool = false) -> Value {
    guard let resolved = checkedAxis(axis, op: "logsumexp") else { return self }
    let shift = stopGradient(max(axis: resolved, keepingDims: true))
    let result = shift + log(exp(self - shift).sum(axis: resolved, keepingDims: true))
    return keepingDims ? result : result.reshaped(to: shape.removing(axis: resolved))
  }

  /// log softmax over `axis`: x − logsumexp(x).
  public func logSoftmax(axis: Int = -1) -> Value {
    self - logSumExp(axis: axis, keepingDims: true)
  }

  /// softmax over `axis`.
  public func softmax(axis: Int = -1) -> Value { exp(logSoftmax(axis: axis)) }

  private func reduce(_ kind: Reduction.Kind, axis: Int, keepingDims: Bool) -> Value {
    builder.requireFloat("reduce_\(kind.rawValue)", self)
    guard let resolved = checkedAxis(axis, op: "reduce_\(kind.rawValue)") else { return self }
    let reduced = builder.make(.reduce(kind, axis: resolved), [self], ValueType(.float32, shape.removing(axis: resolved)))
    guard keepingDims else { return reduced }
    var kept = shape
    kept[resolved] = 1
    return reduced.reshaped(to: kept)
  }
}
