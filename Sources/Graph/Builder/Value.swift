import Core

/// A handle on one value of a graph under construction; ops on values add nodes.
public struct Value {
  public let id: ValueID
  public unowned let builder: GraphBuilder

  public var type: ValueType { builder.node(id).type }
  public var shape: Shape { type.shape }
  public var dtype: DType { type.dtype }
  public var rank: Int { shape.rank }

  /// Names the value in printed graphs (`ratio`, `advantages`); returns the value.
  @discardableResult
  public func named(_ label: String) -> Value {
    builder.rename(id, label)
    return self
  }
}

extension GraphBuilder {
  func rename(_ id: ValueID, _ label: String) {
    var node = node(id)
    node.label = label
    replace(id, with: node)
  }
}
