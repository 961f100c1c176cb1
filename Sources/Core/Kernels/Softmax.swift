import Foundation

/// Softmax and log-softmax over the last axis of a row-major [rows, cols] buffer.
///
///     softmax(x)ᵢ    = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)          m = maxⱼ xⱼ
///     logSoftmax(x)ᵢ = (xᵢ − m) − log Σⱼ e^(xⱼ − m)
///
/// Subtracting the row max keeps every exponent ≤ 0, so nothing overflows. Each row takes
/// three passes: the max, the exponentials (stored for softmax) with their sum, and the
/// scaling or shift. The sums use the blockwise `Double` accumulation of `Reduction`. Like
/// torch, a row that is all −inf (or holds a NaN or +inf) gives NaN. The output may alias
/// the input.
public enum Softmax {
  typealias Vector = VectorMath.Vector

  /// y[r, :] = softmax(x[r, :]) for each of `rows` rows of `cols` floats.
  public static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
      let input = x + r * cols, output = y + r * cols
      let m = Reduction.max(input, count: cols)
      let scale = Float(1 / shiftedExp(input, count: cols, shift: m, storingInto: output))
      Elementwise.zip(MulKernel.self, UnsafePointer(output), scalar: scale, output, count: cols)
    }
  }

  /// y[r, :] = logSoftmax(x[r, :]) for each of `rows` rows of `cols` floats.
  public static func logSoftmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    let w = VectorMath.width
    for r in 0..<rows {
      let input = x + r * cols, output = y + r * cols
      let m = Reduction.max(input, count: cols)
      let logTotal = Float(Foundation.log(shiftedExp(input, count: cols, shift: m, storingInto: nil)))
      // NOTE: (x − m) − log Σ, not x − (m + log Σ): m + log Σ would round at the scale of m
      // and lose the small log-probabilities of the likely entries.
      let vm = Vector(repeating: m), vl = Vector(repeating: logTotal)
      var i = 0
      while i + w <= cols {
        Elementwise.store((Elementwise.load(input + i) - vm) - vl, output + i)
        i += w
      }
      if i < cols {
        Elementwise.storePartial((Elementwise.loadPartial(input + i, count: cols - i) - vm) - vl, output + i,
                                 count: cols - i)
      }
    }
  }

  /// Σ e^(x[i] − shift) in `Float` lanes per block of `Reduction.blockLength`, `Double`
  /// across blocks; the exponentials are also written to `y` if given.
  static func shiftedExp(_ x: UnsafePointer<Float>, count: Int, shift: Float,
                         storingInto y: UnsafeMutablePointer<Float>?) -> Double {
    let w = VectorMath.width
    let s = Vector(repeating: shift)
    var total = DoubleLanes()
    var start = 0
    while start < count {
      let end = Swift.min(start + Reduction.blockLength, count)
      var a0 = Vector(repeating: 0), a1 = a0
      var i = start
      while i + w <= end {
        let e = VectorMath.exp(Elementwise.load(x + i) - s)
        if let y { Elementwise.store(e, y + i) }
        a0 += e
        i += w
      }
      if i < end {
        // NOTE: padding with −inf makes the padded lanes e^(−inf) = 0.
        let e = VectorMath.exp(Elementwise.loadPartial(x + i, count: end - i, padding: -.infinity) - s)
        if let y { Elementwise.storePartial(e, y + i, count: end - i) }
        a1 += e
      }
      total.add(a0 + a1)
      start = end
    }
    return total.total
  }
}
