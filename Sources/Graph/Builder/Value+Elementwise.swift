import Core

// MARK: - Elementwise construction and broadcasting rules

extension GraphBuilder {
  func unary(_ f: UnaryFunction, _ x: Value) -> Value {
    requireFloat(f.rawValue, x)
    return make(.unary(f), [x], ValueType(.float32, x.shape))
  }

  func binary(_ f: BinaryFunction, _ a: Value, _ b: Value) -> Value {
    requireFloat(f.rawValue, a, b)
    let (a, b, shape) = broadcastOperands(op: f.rawValue, a, b)
    return make(.binary(f), [a, b], ValueType(.float32, shape))
  }

  /// Operands of equal shape pass through; a rank-0 scalar stays a scalar operand; equal ranks
  /// whose axes are equal or 1 are broadcast explicitly. Different ranks are an error: aligning
  /// them silently (numpy's trailing-axis rule) is how [B] meets [B,T] on the wrong axis.
  func broadcastOperands(op: String, _ a: Value, _ b: Value) -> (Value, Value, Shape) {
    if a.shape == b.shape { return (a, b, a.shape) }
    if a.rank == 0 { return (a, b, b.shape) }
    if b.rank == 0 { return (a, b, a.shape) }
    guard a.rank == b.rank else {
      record(.shapeMismatch(op: op, shapes: [a.shape, b.shape],
                            reason: "ranks \(a.rank) and \(b.rank) differ; reshape one operand so the axes line up"))
      return (a, b, a.shape)
    }
    var dims = a.shape.dims
    for axis in 0..<a.rank where a.shape[axis] != b.shape[axis] {
      guard a.shape[axis] == 1 || b.shape[axis] == 1 else {
        record(.shapeMismatch(op: op, shapes: [a.shape, b.shape],
                              reason: "axis \(axis) has \(a.shape[axis]) and \(b.shape[axis]) elements"))
        return (a, b, a.shape)
      }
      dims[axis] = Swift.max(a.shape[axis], b.shape[axis])
    }
    let shape = Shape(dims)
    return (a.broadcast(to: shape), b.broadcast(to: shape), shape)
  }

  func requireFloat(_ op: String, _ values: Value...) {
    for value in values where value.dtype != .float32 {
      record(.dtypeMismatch(op: op, expected: .float32, got: value.dtype))
    }
  }
}

// MARK: - Arithmetic operators

public func + (a: Value, b: Value) -> Value { a.builder.binary(.add, a, b) }
public func - (a: Value, b: Value) -> Value { a.builder.binary(.sub, a, b) }
public func * (a: Value, b: Value) -> Value { a.builder.binary(.mul, a, b) }
public func / (a: Value, b: Value) -> Value { a.builder.binary(.div, a, b) }
public func + (a: Value, b: Float) -> Value { a + a.builder.scalar(b) }
public func - (a: Value, b: Float) -> Value { a - a.builder.scalar(b) }
public func * (a: Value, b: Float) -> Value { a * a.builder.scalar(b) }
public func / (a: Value, b: Float) -> Value { a / a.builder.scalar(b) }
public func + (a: Float, b: Value) -> Value { b.builder.scalar(a) + b }
public func - (a: Float, b: Value) -> Value { b.builder.scalar(a) - b }
public func * (a: Float, b: Value) -> Value { b.builder.scalar(a) * b }
public func / (a: Float, b: Value) -> Value { b.builder.scalar(a) / b }
public prefix func - (x: Value) -> Value { x.builder.unary(.neg, x) }

// MARK: - Comparisons: 0/1 masks, no gradient

public func .< (a: Value, b: Value) -> Value { a.builder.binary(.less, a, b) }
public func .<= (a: Value, b: Value) -> Value { a.builder.binary(.lessEqual, a, b) }
public func .> (a: Value, b: Value) -> Value { a.builder.binary(.greater, a, b) }
public func .>= (a: Value, b: Value) -> Value { a.builder.binary(.greaterEqual, a, b) }
public func .== (a: Value, b: Value) -> Value { a.builder.binary(.equal, a, b) }
public func .!= (a: Value, b: Value) -> Value { a.builder.binary(.notEqual, a, b) }
public func .< (a: Value, b: Float) -> Value { a .< a.builder.scalar(b) }
public func .<= (a: Value, b: Float) -> Value { a .<= a.builder.scalar(b) }
public func .> (a: Value, b: Float) -> Value { a .> a.builder.scalar(b) }
public func .>= (a: Value, b: Float) -> Value { a .>= a.builder.scalar(b) }
public func .== (a: Value, b: Float) -> Value { a .== a.builder.scalar(b) }
public func .!= (a: Value, b: Float) -> Value { a .!= a.builder.scalar(b) }

// MARK: - Functions

public func exp(_ x: Value) -> Value { x.builder.unary(.exp, x) }
public func log(_ x: Value) -> Value { x.builder.unary(.log, x) }
public func log1p(_ x: Value) -> Value { x.builder.unary(.log1p, x) }
public func tanh(_ x: Value) -> Value { x.builder.unary(.tanh, x) }
public func sigmoid(_ x: Value) -> Value { x.builder.unary(.sigmoid, x) }
public func relu(_ x: Value) -> Value { x.builder.unary(.relu, x) }
/// Exact GELU, x·Φ(x) with the normal CDF Φ (PyTorch's default `nn.GELU()`).
public func gelu(_ x: Value) -> Value { x.builder.unary(.gelu, x) }
public func sqrt(_ x: Value) -> Value { x.builder.unary(.sqrt, x) }
public func abs(_ x: Value) -> Value { x.builder.unary(.abs, x) }
public func square(_ x: Value) -> Value { x.builder.unary(.square, x) }
public func reciprocal(_ x: Value) -> Value { x.builder.unary(.reciprocal, x) }
public func erf(_ x: Value) -> Value { x.builder.unary(.erf, x) }
/// 1 where x > 0, else 0 (no gradient).
public func step(_ x: Value) -> Value { x.builder.unary(.step, x) }
/// −1, 0 or 1 (no gradient).
public func sign(_ x: Value) -> Value { x.builder.unary(.sign, x) }
public func pow(_ a: Value, _ b: Value) -> Value { a.builder.binary(.pow, a, b) }
public func pow(_ a: Value, _ b: Float) -> Value { pow(a, a.builder.scalar(b)) }

/// Elementwise minimum; the gradient goes to the smaller operand (half to each on a tie,
/// as `torch.minimum`), so a clipped branch carries no gradient.
public func min(_ a: Value, _ b: Value) -> Value { a.builder.binary(.min, a, b) }
/// Elementwise maximum; gradient as for `min`.
public func max(_ a: Value, _ b: Value) -> Value { a.builder.binary(.max, a, b) }
public func min(_ a: Value, _ b: Float) -> Value { min(a, a.builder.scalar(b)) }
public func max(_ a: Value, _ b: Float) -> Value { max(a, a.builder.scalar(b)) }

/// condition ≠ 0 ? a : b, elementwise. `a` and `b` may be rank-0 scalars; the condition
/// is broadcast to the result's shape.
public func select(_ condition: Value, _ a: Value, _ b: Value) -> Value {
  let builder = condition.builder
  builder.requireFloat("select", condition, a, b)
  let (a, b, shape) = builder.broadcastOperands(op: "select", a, b)
  let fitted = condition.shape == shape ? condition : condition.broadcast(to: shape)
  return builder.make(.select, [fitted, a, b], ValueType(.float32, shape))
}

/// x limited to [low, high]; the gradient is 1 inside the closed interval and 0 outside,
/// exactly as `torch.clamp` (PPO's clipped ratio carries no gradient outside the range).
public func clip(_ x: Value, _ low: Float, _ high: Float) -> Value {
  select(x .< low, x.builder.scalar(low), select(x .> high, x.builder.scalar(high), x))
}

/// The value in the forward pass; no gradient flows through it (`sg[x]` in BLOCKS.md).
public func stopGradient(_ x: Value) -> Value {
  x.builder.make(.stopGradient, [x], x.type)
}

extension GraphBuilder {
  /// Applies any elementwise function chosen at run time (the expression language's entry point).
  public func apply(_ f: UnaryFunction, _ x: Value) -> Value { unary(f, x) }
  /// Applies any binary elementwise function chosen at run time.
  public func apply(_ f: BinaryFunction, _ a: Value, _ b: Value) -> Value { binary(f, a, b) }
}
