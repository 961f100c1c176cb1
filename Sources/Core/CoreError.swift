/// Errors raised by tensor operations on arguments that do not fit together.
///
/// Each case names the operation and the shapes involved, so a message alone says what to fix.
public enum CoreError: Error, Equatable, CustomStringConvertible {
  /// Two or more shapes that the operation cannot combine.
  case shapeMismatch(op: String, shapes: [Shape], reason: String)
  /// An axis outside `0..<rank` (negative axes count from the end).
  case invalidAxis(op: String, axis: Int, shape: Shape)
  /// An element count that does not match the shape it was given with.
  case countMismatch(op: String, expected: Int, got: Int)
  /// An index outside the axis it selects from.
  case indexOutOfRange(op: String, index: Int, extent: Int)
  /// A tensor of the wrong element type.
  case dtypeMismatch(op: String, expected: DType, got: DType)
  /// An argument outside what the operation defines (e.g. a negative probability).
  case invalidArgument(op: String, reason: String)

  public var description: String {
    switch self {
    case let .shapeMismatch(op, shapes, reason):
      return "\(op): shapes \(shapes.map(\.description).joined(separator: " and ")) do not fit: \(reason)"
    case let .invalidAxis(op, axis, shape):
      return "\(op): axis \(axis) is out of range for shape \(shape) (rank \(shape.rank))"
    case let .countMismatch(op, expected, got):
      return "\(op): expected \(expected) elements, got \(got)"
    case let .indexOutOfRange(op, index, extent):
      return "\(op): index \(index) is out of range 0..<\(extent)"
    case let .dtypeMismatch(op, expected, got):
      return "\(op): expected a \(expected) tensor, got \(got)"
    case let .invalidArgument(op, reason):
      return "\(op): \(reason)"
    }
  }
}
