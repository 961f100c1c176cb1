/// Data-movement kernels: permuting, broadcasting, slicing and joining row-major buffers.
public enum Layout {
  /// Writes the contiguous tensor of `shape` whose element at position p is
  /// `source[offset + Σ p[i]·strides[i]]`. Transposes (permuted strides), broadcasts
  /// (stride 0) and slices (an offset, the source's strides) are all this one loop.
  public static func stridedCopy<T>(
    _ source: UnsafePointer<T>, offset: Int = 0, strides: [Int], shape: Shape, into destination: UnsafeMutablePointer<T>
  ) {
    let rank = shape.rank
    if rank == 0 { destination[0] = source[offset]; return }
    if shape.count == 0 { return }
    let innerCount = shape[rank - 1], innerStride = strides[rank - 1]
    // NOTE: the odometer lives on the stack so the executor's hot loop never allocates.
    withUnsafeTemporaryAllocation(of: Int.self, capacity: rank) { position in
    position.initialize(repeating: 0)
    var base = offset
    var out = destination
    let rows = shape.count / innerCount
    for _ in 0..<rows {
      if innerStride == 1 {
        out.update(from: source + base, count: innerCount)
      } else if innerStride == 0 {
        out.update(repeating: source[base], count: innerCount)
      } else {
        var at = base
        for i in 0..<innerCount { out[i] = source[at]; at += innerStride }
      }
      out += innerCount
      // Odometer over the outer axes.
      var axis = rank - 2
      while axis >= 0 {
        position[axis] += 1
        base += strides[axis]
        if position[axis] < shape[axis] { break }
        base -= strides[axis] * shape[axis]
        position[axis] = 0
        axis -= 1
      }
    }
    }
  }

  /// Permutes axes: output axis i is input axis `permutation[i]`.
  public static func transpose<T>(_ source: UnsafePointer<T>, shape: Shape, permutation: [Int], into destination: UnsafeMutablePointer<T>) {
    let strides = shape.strides
    stridedCopy(source, strides: permutation.map { strides[$0] }, shape: Shape(permutation.map { shape[$0] }), into: destination)
  }

  /// Repeats size-1 axes of `shape` (or a scalar) to `target` (equal ranks unless `shape` is rank 0).
  public static func broadcast<T>(_ source: UnsafePointer<T>, shape: Shape, to target: Shape, into destination: UnsafeMutablePointer<T>) {
    if shape.rank == 0 { destination.update(repeating: source[0], count: target.count); return }
    let strides = shape.strides
    stridedCopy(source, strides: (0..<target.rank).map { shape[$0] == 1 ? 0 : strides[$0] }, shape: target, into: destination)
  }

  /// Elements `start..<start+length` of `axis`.
  public static func slice<T>(_ source: UnsafePointer<T>, shape: Shape, axis: Int, start: Int, length: Int,
                              into destination: UnsafeMutablePointer<T>) {
    let (outer, extent, inner) = shape.split(at: axis)
    let block = length * inner
    for o in 0..<outer {
      (destination + o * block).update(from: source + (o * extent + start) * inner, count: block)
    }
  }

  /// Joins `parts` (each with its extent along `axis`) into a tensor whose axis is the sum.
  /// `outer` and `inner` are the products of the axes before and after `axis`.
  public static func concat<T>(_ parts: [(pointer: UnsafePointer<T>, extent: Int)], outer: Int, inner: Int,
                               into destination: UnsafeMutablePointer<T>) {
    var out = destination
    for o in 0..<outer {
      for part in parts {
        let block = part.extent * inner
        out.update(from: part.pointer + o * block, count: block)
        out += block
      }
    }
  }
}
