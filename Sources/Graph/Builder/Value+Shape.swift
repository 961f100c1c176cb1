import Core

// MARK: - Shape and layout ops

extension Value {
  /// The same elements with another shape of equal count.
  public func reshaped(to shape: Shape) -> Value {
    if shape == self.shape { return self }
    if shape.count != self.shape.count {
      builder.record(.shapeMismatch(op: "reshape", shapes: [self.shape, shape],
                                    reason: "element counts \(self.shape.count) and \(shape.count) differ"))
    }
    return builder.make(.reshape, [self], ValueType(dtype, shape))
  }

  /// Repeats size-1 axes (or a scalar) to `shape`; the ranks must be equal unless self is rank 0.
  public func broadcast(to shape: Shape) -> Value {
    if shape == self.shape { return self }
    let fits = rank == 0
      || (rank == shape.rank && (0..<rank).allSatisfy { self.shape[$0] == 1 || self.shape[$0] == shape[$0] })
    if !fits {
      builder.record(.shapeMismatch(op: "broadcast", shapes: [self.shape, shape],
                                    reason: "only size-1 axes (or a scalar) can be repeated"))
    }
    return builder.make(.broadcast, [self], ValueType(dtype, shape))
  }

  /// Permutes the axes: output axis i is input axis `permutation[i]`.
  public func transposed(_ permutation: [Int]) -> Value {
    guard permutation.sorted() == Array(0..<rank) else {
      builder.record(.invalid(op: "transpose", reason: "\(permutation) is not a permutation of the \(rank) axes of \(shape)"))
      return self
    }
    if permutation == Array(0..<rank) { return self }
    return builder.make(.transpose(permutation: permutation), [self],
                        ValueType(dtype, Shape(permutation.map { shape[$0] })))
  }

  /// Swaps the last two axes.
  public func transposed() -> Value {
    guard rank >= 2 else {
      builder.record(.invalidAxis(op: "transpose", axis: 1, shape: shape))
      return self
    }
    var permutation = Array(0..<rank)
    permutation.swapAt(rank - 1, rank - 2)
    return transposed(permutation)
  }

  /// Elements `start..<start+length` along `axis`.
  public func sliced(axis: Int, start: Int, length: Int) -> Value {
    guard let axis = checkedAxis(axis, op: "slice") else { return self }
    guard start >= 0, length >= 0, start + length <= shape[axis] else {
      builder.record(.invalid(op: "slice", reason: "range \(start)..<\(start + length) is outside axis \(axis) of \(shape)"))
      return self
    }
    var dims = shape
    dims[axis] = length
    return builder.make(.slice(axis: axis, start: start, length: length), [self], ValueType(dtype, dims))
  }

  /// Resolves a possibly negative axis, recording an error when it is out of range.
  func checkedAxis(_ axis: Int, op: String) -> Int? {
    guard let resolved = shape.normalizedAxis(axis) else {
      builder.record(.invalidAxis(op: op, axis: axis, shape: shape))
      return nil
    }
    return resolved
  }
}

/// Joins values along an axis; all other axes must agree.
public func concat(_ values: [Value], axis: Int) -> Value {
  guard let first = values.first else { preconditionFailure("concat of no values") }
  let builder = first.builder
  guard let axis = first.checkedAxis(axis, op: "concat") else { return first }
  var dims = first.shape
  dims[axis] = 0
  for value in values {
    var other = value.shape
    guard other.rank == dims.rank else {
      builder.record(.shapeMismatch(op: "concat", shapes: values.map(\.shape), reason: "ranks differ"))
      return first
    }
    dims[axis] += other[axis]
    other[axis] = 0
    var expected = dims
    expected[axis] = 0
    if other != expected {
      builder.record(.shapeMismatch(op: "concat", shapes: values.map(\.shape),
                                    reason: "axes other than \(axis) must be equal"))
      return first
    }
  }
  if values.count == 1 { return first }
  return builder.make(.concat(axis: axis), values, ValueType(first.dtype, dims))
}

// MARK: - Indexing

extension Value {
  /// Rows of a [V, D] table picked by int32 indices of any shape: [N...] → [N..., D].
  public func gatherRows(_ indices: Value) -> Value {
    guard rank == 2, indices.dtype == .int32 else {
      builder.record(.invalid(op: "gather", reason: "rows of a rank-2 table by int32 indices; got \(type) and \(indices.type)"))
      return self
    }
    return builder.make(.gather(.rows), [self, indices], ValueType(dtype, Shape(indices.shape.dims + [shape[1]])))
  }

  /// One entry of the last axis per position: x [..., V], indices [...] → [...].
  /// With log-probabilities over a vocabulary, the log-probability of each chosen token.
  public func gatherLastAxis(_ indices: Value) -> Value {
    guard rank >= 1, indices.dtype == .int32, indices.shape == shape.removing(axis: rank - 1) else {
      builder.record(.shapeMismatch(op: "gather", shapes: [shape, indices.shape],
                                    reason: "int32 indices must have the table's shape without its last axis"))
      return self
    }
    return builder.make(.gather(.lastAxis), [self, indices], ValueType(dtype, indices.shape))
  }

  /// The adjoint of a gather: a zero tensor of `shape` with self's values added at `indices`.
  public func scatterAdd(_ indices: Value, mode: GatherMode, into shape: Shape) -> Value {
    builder.make(.scatterAdd(mode), [self, indices], ValueType(dtype, shape))
  }
}

// MARK: - Matrix products and scans

/// Matrix product over the last two axes, with optional transposes:
/// [..., m, k] · [..., k, n] → [..., m, n]. A rank-2 right operand is shared by every
/// batch element (a layer's weight); otherwise leading axes must be equal.
public func matmul(_ a: Value, _ b: Value, transposeA: Bool = false, transposeB: Bool = false) -> Value {
  let builder = a.builder
  builder.requireFloat("matmul", a, b)
  guard a.rank >= 2, b.rank >= 2 else {
    builder.record(.shapeMismatch(op: "matmul", shapes: [a.shape, b.shape], reason: "both operands need rank ≥ 2"))
    return a
  }
  if b.rank == 2, a.rank > 2, !transposeA {
    // Shared weight: fold the batch axes into the rows and use one large product.
    let rows = a.shape.dims.dropLast().reduce(1, *)
    let flat = matmul(a.reshaped(to: [rows, a.shape[a.rank - 1]]), b, transposeB: transposeB)
    return flat.reshaped(to: Shape(a.shape.dims.dropLast() + [flat.shape[1]]))
  }
  let (m, ka) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
  let (kb, n) = transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
  let batchA = Array(a.shape.dims.dropLast(2)), batchB = Array(b.shape.dims.dropLast(2))
  guard ka == kb, batchA == batchB else {
    builder.record(.shapeMismatch(op: "matmul", shapes: [a.shape, b.shape],
                                  reason: ka != kb ? "inner sizes \(ka) and \(kb) differ" : "batch axes differ"))
    return a
  }
  return builder.make(.matmul(transposeA: transposeA, transposeB: transposeB), [a, b],
                      ValueType(.float32, Shape(batchA + [m, n])))
}

/// The linear recurrence y[t] = x[t] + c[t]·y[t−1] along `axis` (y[t+1] when `reverse`):
/// discounted returns and GAE are reverse scans, a cumulative sum is a scan with c = 1.
/// `c` has x's shape.
public func linearScan(_ x: Value, decay c: Value, axis: Int, reverse: Bool) -> Value {
  let builder = x.builder
  builder.requireFloat("linear_scan", x, c)
  guard let axis = x.checkedAxis(axis, op: "linear_scan") else { return x }
  guard x.shape == c.shape else {
    builder.record(.shapeMismatch(op: "linear_scan", shapes: [x.shape, c.shape], reason: "decay must have the input's shape"))
    return x
  }
  return builder.make(.linearScan(axis: axis, reverse: reverse), [x, c], x.type)
}
