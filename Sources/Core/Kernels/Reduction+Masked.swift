import Foundation

/// Masked and derived reductions over [outer, extent, inner], accumulated in `Double`.
///
/// `mask` (nil = every entry counts with weight 1) has the input's layout. Entries whose
/// mask is 0 are ignored entirely — a NaN or inf there does not leak into the result. The
/// sum, mean and variance weight each entry by its mask value (0/1 masks select); max and
/// logSumExp treat any nonzero mask value as "included". Outputs are [outer, inner].
///
/// A contiguous axis (inner == 1) runs the SIMD row kernels of `Reduction+MaskedRows`
/// (`Float` lanes per block of 256, `Double` across blocks); a strided axis runs scalar
/// `Double` loops over whole rows of `inner` elements, so the input is read in order.
extension Reduction {
  /// y[o, i] = Σₑ m·x over the entries with m ≠ 0; an all-masked row gives 0.
  public static func sum(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                         into y: UnsafeMutablePointer<Float>) {
    if inner == 1 {
      for o in 0..<outer { y[o] = Float(rowMoments(x + o * extent, mask: mask.map { $0 + o * extent }, count: extent).sum) }
      return
    }
    var scratch = MaskedScratch(inner: inner)
    for o in 0..<outer {
      scratch.accumulateMoments(x, mask: mask, outer: o, extent: extent)
      for i in 0..<inner { y[o * inner + i] = Float(scratch.sums[i]) }
    }
  }

  /// y[o, i] = Σ m·x / Σ m over the entries with m ≠ 0; an all-masked row gives 0 (not NaN).
  public static func mean(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                          into y: UnsafeMutablePointer<Float>) {
    if inner == 1 {
      for o in 0..<outer {
        let (sum, weight) = rowMoments(x + o * extent, mask: mask.map { $0 + o * extent }, count: extent)
        y[o] = weight == 0 ? 0 : Float(sum / weight)
      }
      return
    }
    var scratch = MaskedScratch(inner: inner)
    for o in 0..<outer {
      scratch.accumulateMoments(x, mask: mask, outer: o, extent: extent)
      for i in 0..<inner {
        let weight = scratch.weights[i]
        y[o * inner + i] = weight == 0 ? 0 : Float(scratch.sums[i] / weight)
      }
    }
  }

  /// y[o, i] = max over the entries with m ≠ 0 (NaN propagates); an all-masked row gives −inf.
  public static func max(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                         into y: UnsafeMutablePointer<Float>) {
    guard let mask else {
      reduce(.max, x, outer: outer, extent: extent, inner: inner, into: y)
      return
    }
    if inner == 1 {
      for o in 0..<outer { y[o] = rowMax(x + o * extent, mask: mask + o * extent, count: extent) }
      return
    }
    for o in 0..<outer {
      let row = y + o * inner
      row.update(repeating: -.infinity, count: inner)
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner where mask[offset + i] != 0 {
          let v = x[offset + i]
          if v > row[i] || v.isNaN { row[i] = v }
        }
      }
    }
  }

  /// y[o, i] = log Σ exp(x) over the entries with m ≠ 0, shifted by their max m* so no term
  /// overflows: m* + log Σ exp(x − m*). An all-masked (or all −inf) row gives −inf; a +inf
  /// entry gives +inf; NaN propagates.
  public static func logSumExp(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int,
                               inner: Int, into y: UnsafeMutablePointer<Float>) {
    max(x, mask: mask, outer: outer, extent: extent, inner: inner, into: y)
    if inner == 1 {
      for o in 0..<outer where y[o].isFinite {
        let total = rowSum(ShiftedExponential.self, x + o * extent, mask: mask.map { $0 + o * extent }, count: extent,
                           parameter: y[o])
        y[o] = Float(Double(y[o]) + Foundation.log(total))
      }
      return
    }
    var sums = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
      let row = y + o * inner
      for i in 0..<inner { sums[i] = 0 }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner where (mask?[offset + i] ?? 1) != 0 {
          sums[i] += Foundation.exp(Double(x[offset + i]) - Double(row[i]))
        }
      }
      // NOTE: a ±inf or NaN max is already the answer (and x − max would be NaN).
      for i in 0..<inner where row[i].isFinite { row[i] = Float(Double(row[i]) + Foundation.log(sums[i])) }
    }
  }

  /// y[o, i] = Σ m·(x − mean)² / (n − 1) (unbiased) or / n, with n = Σ m over the entries
  /// with m ≠ 0, in two passes (the weighted mean first, then the squared deviations from
  /// it). A denominator ≤ 0 — one entry when unbiased, none at all — gives NaN, as
  /// torch.var does.
  public static func variance(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int,
                              inner: Int, unbiased: Bool, into y: UnsafeMutablePointer<Float>) {
    if inner == 1 {
      for o in 0..<outer {
        let row = x + o * extent, rowMask = mask.map { $0 + o * extent }
        let (sum, weight) = rowMoments(row, mask: rowMask, count: extent)
        let squares = rowSum(WeightedSquaredDeviation.self, row, mask: rowMask, count: extent,
                             parameter: Float(sum / weight))
        let denominator = weight - (unbiased ? 1 : 0)
        y[o] = denominator > 0 ? Float(squares / denominator) : .nan
      }
      return
    }
    var scratch = MaskedScratch(inner: inner)
    var squares = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
      scratch.accumulateMoments(x, mask: mask, outer: o, extent: extent)
      for i in 0..<inner { (scratch.sums[i], squares[i]) = (scratch.sums[i] / scratch.weights[i], 0) }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner {
          let m = mask?[offset + i] ?? 1
          if m != 0 {
            let deviation = Double(x[offset + i]) - scratch.sums[i]
            squares[i] += Double(m) * deviation * deviation
          }
        }
      }
      for i in 0..<inner {
        let denominator = scratch.weights[i] - (unbiased ? 1 : 0)
        y[o * inner + i] = denominator > 0 ? Float(squares[i] / denominator) : .nan
      }
    }
  }
}

/// Per-column `Double` accumulators for one [extent, inner] slab, allocated once per call.
struct MaskedScratch {
  /// Σ m·x per column.
  var sums: [Double]
  /// Σ m per column.
  var weights: [Double]
  let inner: Int

  init(inner: Int) {
    self.inner = inner
    sums = [Double](repeating: 0, count: inner)
    weights = sums
  }

  /// Fills `sums` and `weights` for slab `o`, skipping entries whose mask is 0.
  mutating func accumulateMoments(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer o: Int, extent: Int) {
    for i in 0..<inner { (sums[i], weights[i]) = (0, 0) }
    for e in 0..<extent {
      let offset = (o * extent + e) * inner
      for i in 0..<inner {
        let m = mask?[offset + i] ?? 1
        if m != 0 {
          sums[i] += Double(m) * Double(x[offset + i])
          weights[i] += Double(m)
        }
      }
    }
  }
}
