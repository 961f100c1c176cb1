/// A target a checked expression lowers into: the graph builder (once it exists) or the
/// reference evaluator. Lowering is one post-order walk of `TypedExpr`; every call receives
/// the node's type, so a target never re-derives a shape.
public protocol ExprLowering {
  associatedtype Value

  mutating func constant(_ value: Double) -> Value
  /// The named input `name` (`reward`, `logp`, …) of type `type`.
  mutating func input(_ name: String, type: ExprType) throws -> Value
  /// An elementwise function of `operands`, broadcast to `type.axes`.
  mutating func elementwise(_ function: TypedExpr.Elementwise, _ operands: [Value], type: ExprType) throws -> Value
  /// A reduction of `operand` over `axis` (mask-aware over `token`).
  mutating func reduce(_ reduction: TypedExpr.Reduction, _ operand: Value, over axis: Axis, type: ExprType) throws -> Value
}

extension TypedExpr {
  /// Lowers the expression into `target`, operands before the node that uses them.
  public func lower<Target: ExprLowering>(into target: inout Target) throws -> Target.Value {
    switch kind {
    case .constant(let value):
      return target.constant(value)
    case .input(let name):
      return try target.input(name, type: type)
    case .elementwise(let function, let operands):
      var values: [Target.Value] = []
      for operand in operands { values.append(try operand.lower(into: &target)) }
      return try target.elementwise(function, values, type: type)
    case .reduce(let reduction, let operand, let axis):
      return try target.reduce(reduction, try operand.lower(into: &target), over: axis, type: type)
    }
  }
}
