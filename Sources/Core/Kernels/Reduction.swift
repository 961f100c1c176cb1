/// Reductions over one axis of a row-major tensor viewed as [outer, extent, inner].
///
/// The output is [outer, inner]: element (o, i) reduces x[o, 0..<extent, i]. The output must
/// not overlap the input.
///
/// Sums are accurate and deterministic: the elements are added in a fixed order, in `Float`
/// SIMD partial sums over short blocks (a few terms per lane), and the blocks' lanes are
/// accumulated in `Double`, so the error does not grow with the length of the axis
/// (10⁶ × 0.1f sums to exactly 100000). An empty axis sums to 0 and has max −inf.
public enum Reduction {
  /// What a reduction computes.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case sum, max
  }

  typealias Vector = VectorMath.Vector

  /// Contiguous elements summed in `Float` lanes (4 per lane) before going to `Double`.
  static let blockLength = 256
  /// Rows of a strided (inner > 1) sum added in `Float` before going to the `Double` total.
  static let rowBlockLength = 64

  /// y[o, i] = reduce over e of x[o, e, i]. `max` propagates NaN.
  public static func reduce(_ kind: Kind, _ x: UnsafePointer<Float>, outer: Int, extent: Int, inner: Int,
                            into y: UnsafeMutablePointer<Float>) {
    guard outer > 0, inner > 0 else { return }
    for o in 0..<outer {
      let base = x + o * extent * inner
      switch (kind, inner) {
      case (.sum, 1): y[o] = sum(base, count: extent)
      case (.max, 1): y[o] = max(base, count: extent)
      case (.sum, _): sumRows(base, rows: extent, columns: inner, into: y + o * inner)
      case (.max, _): maxRows(base, rows: extent, columns: inner, into: y + o * inner)
      }
    }
  }

  // MARK: - Contiguous (inner == 1)

  /// The sum of `count` contiguous floats: SIMD partial sums in `Float` over blocks of
  /// `blockLength`, each block's lanes then added into `Double` lanes.
  static func sum(_ x: UnsafePointer<Float>, count: Int) -> Float { Float(exactSum(x, count: count)) }

  /// The same sum before its final rounding to `Float`.
  static func exactSum(_ x: UnsafePointer<Float>, count: Int) -> Double {
    var lanes = DoubleLanes()
    var start = 0
    while start < count {
      let length = Swift.min(blockLength, count - start)
      lanes.add(blockSum(x + start, count: length))
      start += length
    }
    return lanes.total
  }

  /// The lane sums of at most `blockLength` floats, in four SIMD accumulators.
  @inline(__always) static func blockSum(_ x: UnsafePointer<Float>, count: Int) -> Vector {
    let w = VectorMath.width
    var a0 = Vector(repeating: 0), a1 = a0, a2 = a0, a3 = a0
    var i = 0
    while i + 4 * w <= count {
      a0 += Elementwise.load(x + i)
      a1 += Elementwise.load(x + i + w)
      a2 += Elementwise.load(x + i + 2 * w)
      a3 += Elementwise.load(x + i + 3 * w)
      i += 4 * w
    }
    while i + w <= count {
      a0 += Elementwise.load(x + i)
      i += w
    }
    if i < count { a1 += Elementwise.loadPartial(x + i, count: count - i) }
    return (a0 + a1) + (a2 + a3)
  }

  /// The larger of each pair of lanes; a NaN in either wins.
  @inline(__always) static func maxPropagatingNaN(_ a: Vector, _ b: Vector) -> Vector {
    a.replacing(with: b, where: (b .> a) .| VectorMath.isNaN(b))
  }

  /// The maximum of `count` contiguous floats (−inf if empty, NaN if any is NaN).
  static func max(_ x: UnsafePointer<Float>, count: Int) -> Float {
    let w = VectorMath.width
    var a0 = Vector(repeating: -.infinity), a1 = a0, a2 = a0, a3 = a0
    var i = 0
    while i + 4 * w <= count {
      a0 = maxPropagatingNaN(a0, Elementwise.load(x + i))
      a1 = maxPropagatingNaN(a1, Elementwise.load(x + i + w))
      a2 = maxPropagatingNaN(a2, Elementwise.load(x + i + 2 * w))
      a3 = maxPropagatingNaN(a3, Elementwise.load(x + i + 3 * w))
      i += 4 * w
    }
    while i + w <= count {
      a0 = maxPropagatingNaN(a0, Elementwise.load(x + i))
      i += w
    }
    if i < count { a1 = maxPropagatingNaN(a1, Elementwise.loadPartial(x + i, count: count - i, padding: -.infinity)) }
    let v = maxPropagatingNaN(maxPropagatingNaN(a0, a1), maxPropagatingNaN(a2, a3))
    var result = v[0]
    for lane in 1..<w where v[lane] > result || v[lane].isNaN { result = v[lane] }
    return result
  }

  // MARK: - Strided (inner > 1): whole rows at a time

  /// out[c] = Σ_r x[r·columns + c]: each column is summed in `Float` over blocks of
  /// `rowBlockLength` rows and the block sums in `Double`, 64 columns at a time in registers;
  /// leftover columns run the same order one at a time, so every column gets the same result.
  static func sumRows(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
    let w = VectorMath.width
    var c = 0
    while c + 4 * w <= columns {
      var t0 = SIMD8<Double>(repeating: 0), t1 = t0, t2 = t0, t3 = t0, t4 = t0, t5 = t0, t6 = t0, t7 = t0
      var start = 0
      while start < rows {
        let end = Swift.min(start + rowBlockLength, rows)
        var a0 = Vector(repeating: 0), a1 = a0, a2 = a0, a3 = a0
        for r in start..<end {
          let row = x + r * columns + c
          a0 += Elementwise.load(row)
          a1 += Elementwise.load(row + w)
          a2 += Elementwise.load(row + 2 * w)
          a3 += Elementwise.load(row + 3 * w)
        }
        t0 += SIMD8<Double>(a0.lowHalf); t1 += SIMD8<Double>(a0.highHalf)
        t2 += SIMD8<Double>(a1.lowHalf); t3 += SIMD8<Double>(a1.highHalf)
        t4 += SIMD8<Double>(a2.lowHalf); t5 += SIMD8<Double>(a2.highHalf)
        t6 += SIMD8<Double>(a3.lowHalf); t7 += SIMD8<Double>(a3.highHalf)
        start = end
      }
      store(t0, out + c); store(t1, out + c + 8); store(t2, out + c + 16); store(t3, out + c + 24)
      store(t4, out + c + 32); store(t5, out + c + 40); store(t6, out + c + 48); store(t7, out + c + 56)
      c += 4 * w
    }
    while c < columns {
      var total = 0.0
      var start = 0
      while start < rows {
        let end = Swift.min(start + rowBlockLength, rows)
        var partial: Float = 0
        for r in start..<end { partial += x[r * columns + c] }
        total += Double(partial)
        start = end
      }
      out[c] = Float(total)
      c += 1
    }
  }

  @inline(__always) static func store(_ totals: SIMD8<Double>, _ p: UnsafeMutablePointer<Float>) {
    for lane in 0..<8 { p[lane] = Float(totals[lane]) }
  }

  /// out[c] = max_r x[r·columns + c], NaN propagating, 16 columns at a time.
  static func maxRows(_ x: UnsafePointer<Float>, rows: Int, columns: Int, into out: UnsafeMutablePointer<Float>) {
    let w = VectorMath.width
    var c = 0
    while c + w <= columns {
      var m = Vector(repeating: -.infinity)
      for r in 0..<rows { m = maxPropagatingNaN(m, Elementwise.load(x + r * columns + c)) }
      Elementwise.store(m, out + c)
      c += w
    }
    while c < columns {
      var m = -Float.infinity
      for r in 0..<rows {
        let v = x[r * columns + c]
        if v > m || v.isNaN { m = v }
      }
      out[c] = m
      c += 1
    }
  }
}
