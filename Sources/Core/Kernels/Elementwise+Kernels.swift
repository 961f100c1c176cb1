/// A lane-wise function of one vector, the body of an elementwise kernel.
///
/// Kernels are caseless enums passed as types, so each driver is specialized and inlined —
/// no closure or existential in the element loop.
protocol UnaryKernel {
  static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector
}

/// A lane-wise function of two vectors.
protocol BinaryKernel {
  static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector
}

// MARK: - Unary

enum NegKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.negate(x) } }
enum ExpKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.exp(x) } }
enum LogKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.log(x) } }
enum Log1pKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.log1p(x) } }
enum TanhKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.tanh(x) } }
enum SigmoidKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.sigmoid(x) } }
enum GeluKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.gelu(x) } }
enum GeluDerivativeKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.geluDerivative(x) } }
enum SqrtKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.sqrt(x) } }
enum ErfKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.erf(x) } }
enum AbsKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.abs(x) } }
enum SquareKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { x * x } }
enum ReciprocalKernel: UnaryKernel { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { 1 / x } }

enum ReluKernel: UnaryKernel {
  // NOTE: −0 becomes +0 and NaN stays NaN, as Swift.max(x, 0) and torch.relu do.
  @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { x.replacing(with: 0, where: x .<= 0) }
}

enum StepKernel: UnaryKernel {
  @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.Vector(repeating: 0).replacing(with: 1, where: x .> 0)
  }
}

enum SignKernel: UnaryKernel {
  // NOTE: sign(NaN) = NaN (as torch.sign), so a NaN is never turned into a 0.
  @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
    var y = VectorMath.Vector(repeating: 0)
    y.replace(with: 1, where: x .> 0)
    y.replace(with: -1, where: x .< 0)
    return y.replacing(with: x, where: VectorMath.isNaN(x))
  }
}

// MARK: - Binary

enum AddKernel: BinaryKernel { @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector { a + b } }
enum SubKernel: BinaryKernel { @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector { a - b } }
enum MulKernel: BinaryKernel { @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector { a * b } }
enum DivKernel: BinaryKernel { @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector { a / b } }

enum MinKernel: BinaryKernel {
  // NOTE: Swift.min(a, b) is `b < a ? b : a`; matching it keeps min(+0, −0) = +0 like evaluate.
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    a.replacing(with: b, where: b .< a).replacing(with: .nan, where: VectorMath.isNaN(a) .| VectorMath.isNaN(b))
  }
}

enum MaxKernel: BinaryKernel {
  // NOTE: Swift.max(a, b) is `b >= a ? b : a`.
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    a.replacing(with: b, where: b .>= a).replacing(with: .nan, where: VectorMath.isNaN(a) .| VectorMath.isNaN(b))
  }
}

enum LessKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.Vector(repeating: 0).replacing(with: 1, where: a .< b)
  }
}

enum LessEqualKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.Vector(repeating: 0).replacing(with: 1, where: a .<= b)
  }
}

enum EqualKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.Vector(repeating: 0).replacing(with: 1, where: a .== b)
  }
}

enum NotEqualKernel: BinaryKernel {
  @inline(__always) static func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> VectorMath.Vector {
    VectorMath.Vector(repeating: 0).replacing(with: 1, where: a .!= b)
  }
}
