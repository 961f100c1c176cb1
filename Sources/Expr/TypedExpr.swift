/// A checked expression: every node has its type (element kind and axes) and its range, so
/// lowering to the graph is a walk that never has to re-derive a shape.
public struct TypedExpr: Sendable, Equatable {
  /// An elementwise function of its operands (all broadcast to the node's axes).
  public enum Elementwise: String, Sendable {
    case negate, add, subtract, multiply, divide
    case less, lessOrEqual, greater, greaterOrEqual, equal, notEqual
    case exp, log, abs, sqrt, stopGradient, minimum, maximum, clip, select
  }

  /// A reduction over one axis; mask-aware over `token`.
  public enum Reduction: String, Sendable { case mean, sum, std, min, max }

  /// What the node computes: a constant, a named input, an elementwise function, a reduction.
  public indirect enum Kind: Sendable, Equatable {
    case constant(Double)
    case input(String)
    case elementwise(Elementwise, [TypedExpr])
    case reduce(Reduction, TypedExpr, over: Axis)
  }

  public var kind: Kind
  public var type: ExprType
  public var range: Range<Int>

  public init(_ kind: Kind, type: ExprType, range: Range<Int>) {
    self.kind = kind
    self.type = type
    self.range = range
  }

  /// The named inputs the expression reads, sorted.
  public var inputs: [String] {
    var names = Set<String>()
    func visit(_ e: TypedExpr) {
      switch e.kind {
      case .constant: break
      case .input(let name): names.insert(name)
      case .elementwise(_, let operands): operands.forEach(visit)
      case .reduce(_, let operand, _): visit(operand)
      }
    }
    visit(self)
    return names.sorted()
  }
}
