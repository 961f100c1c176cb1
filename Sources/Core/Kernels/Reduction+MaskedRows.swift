/// SIMD kernels for masked reductions of one contiguous row (the inner == 1 layout, e.g. a
/// mean over the last axis), with the same deterministic blockwise accumulation as
/// `Reduction.sum`: `Float` lanes within a block of `blockLength`, `Double` lanes across blocks.
///
/// An entry counts when its mask is nonzero; `mask == nil` counts every entry with weight 1.
extension Reduction {
  typealias Mask = SIMDMask<VectorMath.Bits>

  /// (Σ m·x, Σ m) over the entries with m ≠ 0.
  static func rowMoments(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, count: Int) -> (sum: Double, weight: Double) {
    var sums = DoubleLanes(), weights = DoubleLanes()
    var start = 0
    while start < count {
      let end = Swift.min(start + blockLength, count)
      var s = Vector(repeating: 0), w = s
      var i = start
      while i < end {
        let (v, m) = loadRow(x, mask, at: i, end: end)
        let included = m .!= 0
        s += (v * m).replacing(with: 0, where: .!included)
        w += m.replacing(with: 0, where: .!included)
        i += VectorMath.width
      }
      sums.add(s)
      weights.add(w)
      start = end
    }
    return (sums.total, weights.total)
  }

  /// Σ T.term(x, m, parameter) over the entries with m ≠ 0.
  static func rowSum<T: MaskedRowTerm>(_: T.Type, _ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, count: Int,
                                       parameter: Float) -> Double {
    let p = Vector(repeating: parameter)
    var sums = DoubleLanes()
    var start = 0
    while start < count {
      let end = Swift.min(start + blockLength, count)
      var s = Vector(repeating: 0)
      var i = start
      while i < end {
        let (v, m) = loadRow(x, mask, at: i, end: end)
        s += T.term(v, m, p).replacing(with: 0, where: m .== 0)
        i += VectorMath.width
      }
      sums.add(s)
      start = end
    }
    return sums.total
  }

  /// The max over the entries with m ≠ 0 (NaN propagates); −inf if there are none.
  static func rowMax(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, count: Int) -> Float {
    var a = Vector(repeating: -.infinity)
    var i = 0
    while i < count {
      let (v, m) = loadRow(x, mask, at: i, end: count)
      a = maxPropagatingNaN(a, v.replacing(with: -.infinity, where: m .== 0))
      i += VectorMath.width
    }
    var result = a[0]
    for lane in 1..<VectorMath.width where a[lane] > result || a[lane].isNaN { result = a[lane] }
    return result
  }

  /// Values and mask at `i`; past `end` both are 0 (so the lanes count as masked out), and a
  /// nil mask reads as 1 before `end`.
  @inline(__always)
  static func loadRow(_ x: UnsafePointer<Float>, _ mask: UnsafePointer<Float>?, at i: Int, end: Int) -> (Vector, Vector) {
    if i + VectorMath.width <= end {
      if let mask { return (Elementwise.load(x + i), Elementwise.load(mask + i)) }
      return (Elementwise.load(x + i), Vector(repeating: 1))
    }
    let rest = end - i
    let m: Vector
    if let mask {
      m = Elementwise.loadPartial(mask + i, count: rest)
    } else {
      m = Vector(repeating: 0).replacing(with: 1, where: laneIndices .< Float(rest))
    }
    return (Elementwise.loadPartial(x + i, count: rest), m)
  }

  /// 0, 1, …, 15.
  static var laneIndices: Vector {
    var v = Vector()
    for lane in 0..<VectorMath.width { v[lane] = Float(lane) }
    return v
  }
}

/// What a masked row sum adds per included entry.
protocol MaskedRowTerm {
  static func term(_ x: VectorMath.Vector, _ m: VectorMath.Vector, _ parameter: VectorMath.Vector) -> VectorMath.Vector
}

/// m·(x − mean)², the variance's second pass.
enum WeightedSquaredDeviation: MaskedRowTerm {
  @inline(__always)
  static func term(_ x: VectorMath.Vector, _ m: VectorMath.Vector, _ mean: VectorMath.Vector) -> VectorMath.Vector {
    let d = x - mean
    return m * d * d
  }
}

/// e^(x − max), logSumExp's second pass.
enum ShiftedExponential: MaskedRowTerm {
  @inline(__always)
  static func term(_ x: VectorMath.Vector, _ m: VectorMath.Vector, _ shift: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.exp(x - shift)
  }
}

/// Sixteen `Double` accumulators that block sums of `Float` lanes are added into.
struct DoubleLanes {
  var low = SIMD8<Double>(repeating: 0), high = SIMD8<Double>(repeating: 0)

  @inline(__always) mutating func add(_ v: VectorMath.Vector) {
    low += SIMD8<Double>(v.lowHalf)
    high += SIMD8<Double>(v.highHalf)
  }

  var total: Double { (low + high).sum() }
}
