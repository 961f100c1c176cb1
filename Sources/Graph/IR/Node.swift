import Core
import Diagnostics

/// A value's position in its graph; values are numbered in the order they were created,
/// which is always a topological order.
public struct ValueID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let index: Int
  public init(_ index: Int) { self.index = index }
  public static func < (lhs: ValueID, rhs: ValueID) -> Bool { lhs.index < rhs.index }
  public var description: String { "%\(index)" }
}

/// The element type and shape of a graph value.
public struct ValueType: Hashable, Sendable, CustomStringConvertible {
  public var dtype: DType
  public var shape: Shape
  public init(_ dtype: DType = .float32, _ shape: Shape) {
    self.dtype = dtype
    self.shape = shape
  }
  public var description: String { "\(dtype)\(shape)" }
}

/// One equation of the IR: an op applied to earlier values, producing one value.
public struct Node: Hashable, Sendable {
  public var op: Op
  public var operands: [ValueID]
  public var type: ValueType
  /// A human name for printing (`ratio`, `logp`); inputs always have one.
  public var label: String?
  /// The recipe entry that made this node, so runtime errors can point at a line.
  public var origin: SourceSpan?

  public init(op: Op, operands: [ValueID], type: ValueType, label: String? = nil, origin: SourceSpan? = nil) {
    self.op = op
    self.operands = operands
    self.type = type
    self.label = label
    self.origin = origin
  }
}
