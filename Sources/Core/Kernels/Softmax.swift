import Foundation

/// Softmax and log-softmax over the last axis of a row-major [rows, cols] buffer.
///
///     softmax(x)ᵢ    = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)          m = maxⱼ xⱼ
///     logSoftmax(x)ᵢ = xᵢ − m − log Σⱼ e^(xⱼ − m)
///
/// Subtracting the row max keeps every exponent ≤ 0, so nothing overflows. The row sums use
/// the blockwise `Double` accumulation of `Reduction`. Like torch, a row that is all −inf
/// (or holds a NaN or +inf) gives NaN. The output may alias the input.
public enum Softmax {
  typealias Vector = VectorMath.Vector

  /// y[r, :] = softmax(x[r, :]) for each of `rows` rows of `cols` floats.
  public static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
      let input = x + r * cols, output = y + r * cols
      let m = Reduction.max(input, count: cols)
      Elementwise.map(ShiftedExp.self, input, output, count: cols, shift: m)
      let scale = Float(1 / Reduction.exactSum(UnsafePointer(output), count: cols))
      Elementwise.zip(MulKernel.self, UnsafePointer(output), scalar: scale, output, count: cols)
    }
  }

  /// y[r, :] = logSoftmax(x[r, :]) for each of `rows` rows of `cols` floats.
  public static func logSoftmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
    for r in 0..<rows {
      let input = x + r * cols, output = y + r * cols
      let m = Reduction.max(input, count: cols)
      let logTotal = Float(Foundation.log(sumOfShiftedExp(input, count: cols, shift: m)))
      // NOTE: (x − m) − log Σ, not x − (m + log Σ): m + log Σ would round at the scale of m
      // and lose the small log-probabilities of the likely entries.
      Elementwise.zip(SubKernel.self, input, scalar: m, output, count: cols)
      Elementwise.zip(SubKernel.self, UnsafePointer(output), scalar: logTotal, output, count: cols)
    }
  }

  /// Σ e^(x[i] − shift), blockwise into a `Double`, without storing the exponentials.
  static func sumOfShiftedExp(_ x: UnsafePointer<Float>, count: Int, shift: Float) -> Double {
    let w = VectorMath.width
    let s = Vector(repeating: shift)
    var total = 0.0
    var start = 0
    while start < count {
      let end = Swift.min(start + Reduction.blockLength, count)
      var a0 = Vector(repeating: 0), a1 = a0
      var i = start
      while i + 2 * w <= end {
        a0 += VectorMath.exp(Elementwise.load(x + i) - s)
        a1 += VectorMath.exp(Elementwise.load(x + i + w) - s)
        i += 2 * w
      }
      if i + w <= end {
        a0 += VectorMath.exp(Elementwise.load(x + i) - s)
        i += w
      }
      // NOTE: padding with −inf makes the padded lanes e^(−inf) = 0.
      if i < end { a1 += VectorMath.exp(Elementwise.loadPartial(x + i, count: end - i, padding: -.infinity) - s) }
      total += Double(Reduction.horizontalSum(a0 + a1))
      start = end
    }
    return total
  }
}

/// e^(x − shift), the body of softmax.
enum ShiftedExp: ShiftedUnaryKernel {
  @inline(__always) static func apply(_ x: VectorMath.Vector, shift: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.exp(x - shift)
  }
}

/// A lane-wise function of one vector and a broadcast parameter.
protocol ShiftedUnaryKernel {
  static func apply(_ x: VectorMath.Vector, shift: VectorMath.Vector) -> VectorMath.Vector
}

extension Elementwise {
  @inline(__always)
  static func map<K: ShiftedUnaryKernel>(_: K.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                                         count: Int, shift: Float) {
    let w = VectorMath.width
    let s = Vector(repeating: shift)
    var i = 0
    while i + w <= count {
      store(K.apply(load(x + i), shift: s), y + i)
      i += w
    }
    if i < count { storePartial(K.apply(loadPartial(x + i, count: count - i), shift: s), y + i, count: count - i) }
  }
}
