import Foundation

/// Masked and derived reductions over [outer, extent, inner], accumulated in `Double`.
///
/// `mask` (nil = every entry counts with weight 1) has the input's layout. Entries whose
/// mask is 0 are ignored entirely — a NaN or inf there does not leak into the result. The
/// sum, mean and variance weight each entry by its mask value (0/1 masks select); max and
/// logSumExp treat any nonzero mask value as "included". Outputs are [outer, inner].
extension Reduction {
  /// y[o, i] = Σₑ m·x over the entries with m ≠ 0; an all-masked row gives 0.
  public static func sum(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                         into y: UnsafeMutablePointer<Float>) {
    accumulate(x, mask: mask, outer: outer, extent: extent, inner: inner, into: y) { sums, _, row in
      for i in 0..<inner { row[i] = Float(sums[i]) }
    }
  }

  /// y[o, i] = Σ m·x / Σ m over the entries with m ≠ 0; an all-masked row gives 0 (not NaN).
  public static func mean(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                          into y: UnsafeMutablePointer<Float>) {
    accumulate(x, mask: mask, outer: outer, extent: extent, inner: inner, into: y) { sums, weights, row in
      for i in 0..<inner { row[i] = weights[i] == 0 ? 0 : Float(sums[i] / weights[i]) }
    }
  }

  /// y[o, i] = max over the entries with m ≠ 0 (NaN propagates); an all-masked row gives −inf.
  public static func max(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int, inner: Int,
                         into y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
      let row = y + o * inner
      for i in 0..<inner { row[i] = -.infinity }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner where mask.map({ $0[offset + i] != 0 }) ?? true {
          let v = x[offset + i]
          if v > row[i] || v.isNaN { row[i] = v }
        }
      }
    }
  }

  /// y[o, i] = log Σ exp(x) over the entries with m ≠ 0, shifted by their max so no term
  /// overflows. An all-masked (or all −inf) row gives −inf; a +inf entry gives +inf; NaN
  /// propagates.
  public static func logSumExp(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int,
                               inner: Int, into y: UnsafeMutablePointer<Float>) {
    max(x, mask: mask, outer: outer, extent: extent, inner: inner, into: y)
    var sums = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
      let row = y + o * inner
      for i in 0..<inner { sums[i] = 0 }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner where mask.map({ $0[offset + i] != 0 }) ?? true {
          sums[i] += Foundation.exp(Double(x[offset + i]) - Double(row[i]))
        }
      }
      // NOTE: a ±inf or NaN max is already the answer (and x − max would be NaN).
      for i in 0..<inner where row[i].isFinite { row[i] = Float(Double(row[i]) + Foundation.log(sums[i])) }
    }
  }

  /// y[o, i] = Σ m·(x − mean)² / (n − 1) (unbiased) or / n, with n = Σ m over the entries
  /// with m ≠ 0, computed in two passes (mean first). A denominator ≤ 0 — one entry when
  /// unbiased, none at all — gives NaN, as torch.var does.
  public static func variance(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int,
                              inner: Int, unbiased: Bool, into y: UnsafeMutablePointer<Float>) {
    // Pass 1: the weighted means; pass 2: the weighted squared deviations from them.
    var weights = [Double](repeating: 0, count: inner)
    var squares = [Double](repeating: 0, count: inner)
    var means = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
      let row = y + o * inner
      for i in 0..<inner { (means[i], weights[i], squares[i]) = (0, 0, 0) }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner {
          let m = mask?[offset + i] ?? 1
          if m != 0 {
            means[i] += Double(m) * Double(x[offset + i])
            weights[i] += Double(m)
          }
        }
      }
      for i in 0..<inner { means[i] /= weights[i] }
      for e in 0..<extent {
        let offset = (o * extent + e) * inner
        for i in 0..<inner {
          let m = mask?[offset + i] ?? 1
          if m != 0 {
            let d = Double(x[offset + i]) - means[i]
            squares[i] += Double(m) * d * d
          }
        }
      }
      for i in 0..<inner {
        let denominator = weights[i] - (unbiased ? 1 : 0)
        row[i] = denominator > 0 ? Float(squares[i] / denominator) : .nan
      }
    }
  }

  /// Runs the weighted sums Σ m·x and Σ m of every (o, ·) row into `Double` scratch and
  /// hands them to `finish` with the output row to write.
  private static func accumulate(_ x: UnsafePointer<Float>, mask: UnsafePointer<Float>?, outer: Int, extent: Int,
                                 inner: Int, into y: UnsafeMutablePointer<Float>,
                                 finish: ([Double], [Double], UnsafeMutablePointer<Float>) -> Void) {
    var sums = [Double](repeating: 0, count: inner)
    var weights = [Double](repeating: 0, count: inner)
    for o in 0..<outer {
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
      finish(sums, weights, y + o * inner)
    }
  }
}
