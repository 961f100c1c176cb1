import Core

/// A computation in the IR: nodes in topological order, its constants, and which values
/// are bound by the caller (inputs) and returned (outputs).
///
/// Building a graph computes nothing; `ReferenceInterpreter` evaluates it in Double,
/// `Planner` turns it into an `Executable` that runs it in Float32. Transforms such as
/// `gradient(of:withRespectTo:)` return a new graph.
public struct Graph: Sendable {
  public internal(set) var nodes: [Node]
  public internal(set) var constants: [Tensor]
  /// Input values in the order `Executable.run` takes them.
  public internal(set) var inputs: [ValueID]
  public internal(set) var outputs: [ValueID]

  public subscript(id: ValueID) -> Node { nodes[id.index] }

  /// The names of the inputs, in binding order.
  public var inputNames: [String] {
    inputs.map { id in
      if case .input(let name) = nodes[id.index].op { return name }
      return "\(id)"
    }
  }

  /// The input value with this name, if any.
  public func input(named name: String) -> ValueID? {
    inputs.first { if case .input(name) = nodes[$0.index].op { true } else { false } }
  }

  /// For each value, the nodes that read it, in order.
  public var users: [[ValueID]] {
    var users = [[ValueID]](repeating: [], count: nodes.count)
    for (index, node) in nodes.enumerated() {
      for operand in node.operands { users[operand.index].append(ValueID(index)) }
    }
    return users
  }
}
