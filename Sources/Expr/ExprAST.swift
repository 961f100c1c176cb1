/// An expression as written: a syntax tree whose every node keeps its character range
/// (Unicode-scalar offsets into the expression's text).
public struct ExprNode: Sendable, Equatable {
  /// `-x`.
  public enum UnaryOperator: String, Sendable { case negate = "-" }

  /// Arithmetic and comparison operators, by their spelling.
  public enum BinaryOperator: String, Sendable, CaseIterable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "==", notEqual = "!="

    /// Whether the operator compares (and so yields a boolean).
    public var isComparison: Bool {
      switch self {
      case .add, .subtract, .multiply, .divide: false
      default: true
      }
    }
  }

  /// One argument of a call: positional (`x`) or labelled (`over: group`).
  public struct Argument: Sendable, Equatable {
    public var label: String?
    public var labelRange: Range<Int>?
    public var value: ExprNode
  }

  /// What the node is: a literal, a name, an operator applied to operands, or a call.
  public indirect enum Kind: Sendable, Equatable {
    case number(Double)
    case name(String)
    case unary(UnaryOperator, ExprNode)
    case binary(BinaryOperator, ExprNode, ExprNode)
    case call(function: String, functionRange: Range<Int>, arguments: [Argument])
  }

  public var kind: Kind
  public var range: Range<Int>

  public init(_ kind: Kind, range: Range<Int>) {
    self.kind = kind
    self.range = range
  }
}
