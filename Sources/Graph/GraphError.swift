import Core

/// Errors from building, differentiating, planning or running a graph.
public enum GraphError: Error, Equatable, CustomStringConvertible {
  /// An operation whose operands do not fit; names the op and the shapes.
  case shapeMismatch(op: String, shapes: [Shape], reason: String)
  /// An axis outside the operand's rank.
  case invalidAxis(op: String, axis: Int, shape: Shape)
  /// An operand of the wrong element type.
  case dtypeMismatch(op: String, expected: DType, got: DType)
  /// An input was not bound, or bound with the wrong shape or type.
  case badInput(name: String, reason: String)
  /// A value produced NaN or ±Inf while non-finite checking was on.
  case nonFinite(op: String, value: String, index: Int, got: Float)
  /// Anything else that the builder rejects.
  case invalid(op: String, reason: String)

  public var description: String {
    switch self {
    case let .shapeMismatch(op, shapes, reason):
      return "\(op): shapes \(shapes.map(\.description).joined(separator: " and ")) do not fit: \(reason)"
    case let .invalidAxis(op, axis, shape):
      return "\(op): axis \(axis) is out of range for shape \(shape) (rank \(shape.rank))"
    case let .dtypeMismatch(op, expected, got):
      return "\(op): expected \(expected), got \(got)"
    case let .badInput(name, reason):
      return "input '\(name)': \(reason)"
    case let .nonFinite(op, value, index, got):
      return "\(op) produced \(got) at element \(index) of \(value)"
    case let .invalid(op, reason):
      return "\(op): \(reason)"
    }
  }
}
