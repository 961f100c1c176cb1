import Foundation

/// Elementwise kernels over contiguous float buffers.
///
/// Every kernel reads `count` elements and writes `count` elements; the output may alias an
/// input exactly (in place), which the graph planner relies on when it reuses buffers.
/// Partial overlaps (output shifted against an input) are not supported.
///
/// The main loop runs 16 lanes at a time (`SIMD16<Float>`, one AVX-512 register); the last
/// `count % 16` elements go through the same vector code on a zero-padded copy, so an
/// element's result never depends on its position. Accuracy of the transcendental
/// functions is documented on `VectorMath`: at most 2.6 ulp against the `Double` functions.
public enum Elementwise {
  typealias Vector = VectorMath.Vector

  /// y[i] = f(x[i]).
  ///
  /// Special values: exp overflows to +inf above 88.7228 and underflows to 0;
  /// log(0) = −inf and log(x < 0) = NaN (subnormal inputs are handled, not flushed);
  /// tanh, sigmoid and erf saturate; sqrt(x < 0) = NaN; sign(NaN) = NaN and sign(±0) = 0;
  /// relu(NaN) = NaN; NaN propagates through every function but step (step(NaN) = 0).
  public static func apply(_ f: UnaryFunction, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    switch f {
    case .neg: map(NegKernel.self, x, y, count: count)
    case .exp: map(ExpKernel.self, x, y, count: count)
    case .log: map(LogKernel.self, x, y, count: count)
    case .log1p: map(Log1pKernel.self, x, y, count: count)
    case .tanh: map(TanhKernel.self, x, y, count: count)
    case .sigmoid: map(SigmoidKernel.self, x, y, count: count)
    case .relu: map(ReluKernel.self, x, y, count: count)
    case .gelu: map(GeluKernel.self, x, y, count: count)
    case .geluDerivative: map(GeluDerivativeKernel.self, x, y, count: count)
    case .sqrt: map(SqrtKernel.self, x, y, count: count)
    case .abs: map(AbsKernel.self, x, y, count: count)
    case .square: map(SquareKernel.self, x, y, count: count)
    case .reciprocal: map(ReciprocalKernel.self, x, y, count: count)
    case .erf: map(ErfKernel.self, x, y, count: count)
    case .step: map(StepKernel.self, x, y, count: count)
    case .sign: map(SignKernel.self, x, y, count: count)
    }
  }

  /// out[i] = f(a[i], b[i]).
  ///
  /// Every function agrees bit for bit with `evaluate`. pow calls glibc's `powf` per element
  /// (2.9 GB/s, faster than a Double-precision SIMD version measured at 2.5 GB/s), except for
  /// the scalar exponents 2, −1, 1 and 0, which run vectorized.
  public static func apply(_ f: BinaryFunction, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    switch f {
    case .add: zip(AddKernel.self, a, b, out, count: count)
    case .sub: zip(SubKernel.self, a, b, out, count: count)
    case .mul: zip(MulKernel.self, a, b, out, count: count)
    case .div: zip(DivKernel.self, a, b, out, count: count)
    case .pow: for i in 0..<count { out[i] = evaluate(.pow, a[i], b[i]) }
    case .min: zip(MinKernel.self, a, b, out, count: count)
    case .max: zip(MaxKernel.self, a, b, out, count: count)
    case .less: zip(LessKernel.self, a, b, out, count: count)
    case .lessEqual: zip(LessEqualKernel.self, a, b, out, count: count)
    case .greater: zip(LessKernel.self, b, a, out, count: count)
    case .greaterEqual: zip(LessEqualKernel.self, b, a, out, count: count)
    case .equal: zip(EqualKernel.self, a, b, out, count: count)
    case .notEqual: zip(NotEqualKernel.self, a, b, out, count: count)
    }
  }

  /// out[i] = f(a[i], b): the right operand is one scalar.
  public static func apply(_ f: BinaryFunction, _ a: UnsafePointer<Float>, scalar b: Float,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    switch f {
    case .add: zip(AddKernel.self, a, scalar: b, out, count: count)
    case .sub: zip(SubKernel.self, a, scalar: b, out, count: count)
    case .mul: zip(MulKernel.self, a, scalar: b, out, count: count)
    case .div: zip(DivKernel.self, a, scalar: b, out, count: count)
    // NOTE: the common powers run vectorized and agree bit for bit with powf (checked on
    // every Float): x² is the correctly rounded x·x, x⁻¹ is 1/x, x¹ = x and
    // x⁰ = 1 even for NaN. (x^0.5 is not sqrt: glibc's powf misrounds some subnormal inputs.)
    case .pow where b == 2: map(SquareKernel.self, a, out, count: count)
    case .pow where b == -1: map(ReciprocalKernel.self, a, out, count: count)
    case .pow where b == 1: if UnsafePointer(out) != a { out.update(from: a, count: count) }
    case .pow where b == 0: out.update(repeating: 1, count: count)
    case .pow: for i in 0..<count { out[i] = evaluate(.pow, a[i], b) }
    case .min: zip(MinKernel.self, a, scalar: b, out, count: count)
    case .max: zip(MaxKernel.self, a, scalar: b, out, count: count)
    case .less: zip(LessKernel.self, a, scalar: b, out, count: count)
    case .lessEqual: zip(LessEqualKernel.self, a, scalar: b, out, count: count)
    case .greater: zip(LessKernel.self, scalar: b, a, out, count: count)
    case .greaterEqual: zip(LessEqualKernel.self, scalar: b, a, out, count: count)
    case .equal: zip(EqualKernel.self, a, scalar: b, out, count: count)
    case .notEqual: zip(NotEqualKernel.self, a, scalar: b, out, count: count)
    }
  }

  /// out[i] = f(a, b[i]): the left operand is one scalar.
  public static func apply(_ f: BinaryFunction, scalar a: Float, _ b: UnsafePointer<Float>,
                           _ out: UnsafeMutablePointer<Float>, count: Int) {
    switch f {
    case .add: zip(AddKernel.self, scalar: a, b, out, count: count)
    case .sub: zip(SubKernel.self, scalar: a, b, out, count: count)
    case .mul: zip(MulKernel.self, scalar: a, b, out, count: count)
    case .div: zip(DivKernel.self, scalar: a, b, out, count: count)
    case .pow: for i in 0..<count { out[i] = evaluate(.pow, a, b[i]) }
    case .min: zip(MinKernel.self, scalar: a, b, out, count: count)
    case .max: zip(MaxKernel.self, scalar: a, b, out, count: count)
    case .less: zip(LessKernel.self, scalar: a, b, out, count: count)
    case .lessEqual: zip(LessEqualKernel.self, scalar: a, b, out, count: count)
    case .greater: zip(LessKernel.self, b, scalar: a, out, count: count)
    case .greaterEqual: zip(LessEqualKernel.self, b, scalar: a, out, count: count)
    case .equal: zip(EqualKernel.self, scalar: a, b, out, count: count)
    case .notEqual: zip(NotEqualKernel.self, scalar: a, b, out, count: count)
    }
  }

  /// out[i] = condition[i] != 0 ? a[i] : b[i] (a NaN condition counts as true).
  public static func select(_ condition: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ out: UnsafeMutablePointer<Float>, count: Int) {
    let w = VectorMath.width
    var i = 0
    while i + w <= count {
      let c = load(condition + i), va = load(a + i), vb = load(b + i)
      store(va.replacing(with: vb, where: c .== 0), out + i)
      i += w
    }
    while i < count {
      out[i] = condition[i] != 0 ? a[i] : b[i]
      i += 1
    }
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

  // MARK: - Drivers

  @inline(__always) static func load(_ p: UnsafePointer<Float>) -> Vector {
    UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
  }

  @inline(__always) static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
  }

  /// The first `count` (< 16) elements in a vector, the other lanes `padding`.
  @inline(__always) static func loadPartial(_ p: UnsafePointer<Float>, count: Int, padding: Float = 0) -> Vector {
    var v = Vector(repeating: padding)
    for j in 0..<count { v[j] = p[j] }
    return v
  }

  @inline(__always) static func storePartial(_ v: Vector, _ p: UnsafeMutablePointer<Float>, count: Int) {
    for j in 0..<count { p[j] = v[j] }
  }

  @inline(__always)
  static func map<K: UnaryKernel>(_: K.Type, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    let w = VectorMath.width
    var i = 0
    while i + w <= count {
      store(K.apply(load(x + i)), y + i)
      i += w
    }
    if i < count { storePartial(K.apply(loadPartial(x + i, count: count - i)), y + i, count: count - i) }
  }

  @inline(__always)
  static func zip<K: BinaryKernel>(_: K.Type, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                   _ out: UnsafeMutablePointer<Float>, count: Int) {
    let w = VectorMath.width
    var i = 0
    while i + w <= count {
      store(K.apply(load(a + i), load(b + i)), out + i)
      i += w
    }
    if i < count {
      let rest = count - i
      storePartial(K.apply(loadPartial(a + i, count: rest), loadPartial(b + i, count: rest)), out + i, count: rest)
    }
  }

  @inline(__always)
  static func zip<K: BinaryKernel>(_: K.Type, _ a: UnsafePointer<Float>, scalar b: Float,
                                   _ out: UnsafeMutablePointer<Float>, count: Int) {
    let w = VectorMath.width
    let vb = Vector(repeating: b)
    var i = 0
    while i + w <= count {
      store(K.apply(load(a + i), vb), out + i)
      i += w
    }
    if i < count { storePartial(K.apply(loadPartial(a + i, count: count - i), vb), out + i, count: count - i) }
  }

  @inline(__always)
  static func zip<K: BinaryKernel>(_: K.Type, scalar a: Float, _ b: UnsafePointer<Float>,
                                   _ out: UnsafeMutablePointer<Float>, count: Int) {
    let w = VectorMath.width
    let va = Vector(repeating: a)
    var i = 0
    while i + w <= count {
      store(K.apply(va, load(b + i)), out + i)
      i += w
    }
    if i < count { storePartial(K.apply(va, loadPartial(b + i, count: count - i)), out + i, count: count - i) }
  }
}
