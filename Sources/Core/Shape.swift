/// The extents of a row-major tensor, outermost axis first. A rank-0 shape is a scalar.
public struct Shape: Hashable, Sendable, ExpressibleByArrayLiteral, CustomStringConvertible {
  /// Extent of each axis; every entry is ≥ 0.
  public var dims: [Int]

  public init(_ dims: [Int]) { self.dims = dims }
  public init(arrayLiteral dims: Int...) { self.dims = dims }

  /// The shape of a scalar.
  public static let scalar = Shape([])

  public var rank: Int { dims.count }
  /// Number of elements (1 for a scalar).
  public var count: Int { dims.reduce(1, *) }
  public var isScalar: Bool { dims.isEmpty }

  public subscript(axis: Int) -> Int {
    get { dims[axis] }
    set { dims[axis] = newValue }
  }

  /// Row-major strides in elements: `strides[i]` is the distance between neighbours on axis i.
  public var strides: [Int] {
    var strides = [Int](repeating: 1, count: rank)
    var step = 1
    for axis in (0..<rank).reversed() {
      strides[axis] = step
      step *= dims[axis]
    }
    return strides
  }

  /// Splits the shape around `axis` into (product before, extent, product after), the
  /// three loop bounds every axis-wise kernel runs over.
  public func split(at axis: Int) -> (outer: Int, extent: Int, inner: Int) {
    let outer = dims[..<axis].reduce(1, *)
    let inner = dims[(axis + 1)...].reduce(1, *)
    return (outer, dims[axis], inner)
  }

  /// The shape with `axis` removed (what a reduction over `axis` produces).
  public func removing(axis: Int) -> Shape {
    var dims = dims
    dims.remove(at: axis)
    return Shape(dims)
  }

  /// Resolves a possibly negative axis (−1 is the last) against this rank, or nil if out of range.
  public func normalizedAxis(_ axis: Int) -> Int? {
    let resolved = axis < 0 ? axis + rank : axis
    return (0..<rank).contains(resolved) ? resolved : nil
  }

  public var description: String { "[" + dims.map(String.init).joined(separator: ",") + "]" }
}
