// MARK: - Layout and indexing on tensors (allocating wrappers over the kernels)

extension Tensor {
  /// Permutes the axes: output axis i is input axis `permutation[i]`.
  public func transposed(_ permutation: [Int]) throws(CoreError) -> Tensor {
    guard permutation.sorted() == Array(0..<rank) else {
      throw .invalidArgument(op: "transpose", reason: "\(permutation) is not a permutation of the axes of \(shape)")
    }
    var result = Tensor(zeros: Shape(permutation.map { shape[$0] }), dtype: dtype)
    Layout.transpose(storage.floats, shape: shape, permutation: permutation, into: result.mutableFloats())
    return result
  }

  /// Repeats size-1 axes (or a scalar) to `target`; ranks must match unless self is a scalar.
  public func broadcast(to target: Shape) throws(CoreError) -> Tensor {
    let fits = rank == 0 || (rank == target.rank && (0..<rank).allSatisfy { shape[$0] == 1 || shape[$0] == target[$0] })
    guard fits else {
      throw .shapeMismatch(op: "broadcast", shapes: [shape, target], reason: "only size-1 axes (or a scalar) can be repeated")
    }
    var result = Tensor(zeros: target, dtype: dtype)
    Layout.broadcast(storage.floats, shape: shape, to: target, into: result.mutableFloats())
    return result
  }

  /// Elements `start..<start+length` along `axis`.
  public func sliced(axis: Int, start: Int, length: Int) throws(CoreError) -> Tensor {
    guard let axis = shape.normalizedAxis(axis) else { throw .invalidAxis(op: "slice", axis: axis, shape: shape) }
    guard start >= 0, length >= 0, start + length <= shape[axis] else {
      throw .invalidArgument(op: "slice", reason: "range \(start)..<\(start + length) is outside axis \(axis) of \(shape)")
    }
    var target = shape
    target[axis] = length
    var result = Tensor(zeros: target, dtype: dtype)
    Layout.slice(storage.floats, shape: shape, axis: axis, start: start, length: length, into: result.mutableFloats())
    return result
  }

  /// Joins tensors along `axis`; all other axes must agree.
  public static func concat(_ parts: [Tensor], axis: Int) throws(CoreError) -> Tensor {
    guard let first = parts.first else { throw .invalidArgument(op: "concat", reason: "no tensors to join") }
    guard let axis = first.shape.normalizedAxis(axis) else { throw .invalidAxis(op: "concat", axis: axis, shape: first.shape) }
    var target = first.shape
    target[axis] = 0
    for part in parts {
      var other = part.shape
      guard other.rank == target.rank, part.dtype == first.dtype else {
        throw .shapeMismatch(op: "concat", shapes: parts.map(\.shape), reason: "ranks or types differ")
      }
      other[axis] = 0
      var expected = target
      expected[axis] = 0
      guard other == expected else {
        throw .shapeMismatch(op: "concat", shapes: parts.map(\.shape), reason: "axes other than \(axis) must be equal")
      }
      target[axis] += part.shape[axis]
    }
    var result = Tensor(zeros: target, dtype: first.dtype)
    let (outer, _, inner) = target.split(at: axis)
    Layout.concat(parts.map { (UnsafePointer($0.storage.floats), $0.shape[axis]) }, outer: outer, inner: inner,
                  into: result.mutableFloats())
    return result
  }

  /// Rows of a [V, D] table picked by int32 indices of any shape: [N...] → [N..., D].
  public func gatherRows(_ indices: Tensor) throws(CoreError) -> Tensor {
    guard rank == 2 else { throw .shapeMismatch(op: "gather", shapes: [shape, indices.shape], reason: "the table must be rank 2") }
    guard indices.dtype == .int32 else { throw .dtypeMismatch(op: "gather", expected: .int32, got: indices.dtype) }
    var result = Tensor(zeros: Shape(indices.shape.dims + [shape[1]]))
    try Gather.rows(floats, rows: shape[0], width: shape[1], indices: indices.int32s, count: indices.count,
                    into: result.mutableFloats())
    return result
  }

  /// One entry of the last axis per position: self [..., V], indices [...] → [...].
  public func gatherLastAxis(_ indices: Tensor) throws(CoreError) -> Tensor {
    guard rank >= 1, indices.shape == shape.removing(axis: rank - 1) else {
      throw .shapeMismatch(op: "gather", shapes: [shape, indices.shape],
                           reason: "indices must have the table's shape without its last axis")
    }
    guard indices.dtype == .int32 else { throw .dtypeMismatch(op: "gather", expected: .int32, got: indices.dtype) }
    var result = Tensor(zeros: indices.shape)
    try Gather.lastAxis(floats, width: shape[rank - 1], indices: indices.int32s, count: indices.count,
                        into: result.mutableFloats())
    return result
  }
}
