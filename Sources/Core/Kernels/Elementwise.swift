import Foundation

/// Elementwise kernels over contiguous float buffers.
///
/// Every kernel reads `count` elements and writes `count` elements; the output may alias an
/// input (in-place), which the graph planner relies on when it reuses buffers.
public enum Elementwise {
  /// y[i] = f(x[i]).
  public static func apply(_ f: UnaryFunction, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    switch f {
    case .neg: for i in 0..<count { y[i] = -x[i] }
    case .exp: for i in 0..<count { y[i] = Foundation.exp(x[i]) }
    case .log: for i in 0..<count { y[i] = Foundation.log(x[i]) }
    case .log1p: for i in 0..<count { y[i] = Foundation.log1p(x[i]) }
    case .tanh: for i in 0..<count { y[i] = Foundation.tanh(x[i]) }
    case .sigmoid: for i in 0..<count { y[i] = 1 / (1 + Foundation.exp(-x[i])) }
    case .relu: for i in 0..<count { y[i] = Swift.max(x[i], 0) }
    case .gelu: for i in 0..<count { y[i] = 0.5 * x[i] * (1 + Foundation.erf(x[i] * 0.70710678118654752)) }
    case .sqrt: for i in 0..<count { y[i] = x[i].squareRoot() }
    case .abs: for i in 0..<count { y[i] = Swift.abs(x[i]) }
    case .square: for i in 0..<count { y[i] = x[i] * x[i] }
    case .reciprocal: for i in 0..<count { y[i] = 1 / x[i] }
    case .erf: for i in 0..<count { y[i] = Foundation.erf(x[i]) }
    case .step: for i in 0..<count { y[i] = x[i] > 0 ? 1 : 0 }
    case .sign: for i in 0..<count { y[i] = x[i] > 0 ? 1 : (x[i] < 0 ? -1 : 0) }
    }
  }

  /// out[i] = f(a[i], b[i]).
  public static func apply(_ f: BinaryFunction, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = evaluate(f, a[i], b[i]) }
  }

  /// out[i] = f(a[i], b): the right operand is one scalar.
  public static func apply(_ f: BinaryFunction, _ a: UnsafePointer<Float>, scalar b: Float,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = evaluate(f, a[i], b) }
  }

  /// out[i] = f(a, b[i]): the left operand is one scalar.
  public static func apply(_ f: BinaryFunction, scalar a: Float, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = evaluate(f, a, b[i]) }
  }

  /// out[i] = condition[i] != 0 ? a[i] : b[i].
  public static func select(_ condition: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ out: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { out[i] = condition[i] != 0 ? a[i] : b[i] }
  }

  /// The scalar definition every kernel agrees with.
  @inline(__always)
  public static func evaluate(_ f: BinaryFunction, _ a: Float, _ b: Float) -> Float {
    switch f {
    case .add: a + b
    case .sub: a - b
    case .mul: a * b
    case .div: a / b
    case .pow: Foundation.pow(a, b)
    // NOTE: min/max propagate NaN (as torch.minimum/maximum do), so a NaN is never hidden.
    case .min: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
    case .max: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    case .less: a < b ? 1 : 0
    case .lessEqual: a <= b ? 1 : 0
    case .greater: a > b ? 1 : 0
    case .greaterEqual: a >= b ? 1 : 0
    case .equal: a == b ? 1 : 0
    case .notEqual: a != b ? 1 : 0
    }
  }
}
