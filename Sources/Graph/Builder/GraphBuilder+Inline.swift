import Core

extension GraphBuilder {
  /// Copies `graph` into this builder and returns its outputs here: each of its inputs named
  /// in `bindings` becomes that value (same type required), the others become inputs of this
  /// builder (an existing input of the same name is reused), constants are copied, and
  /// equal op nodes are shared with what is already built.
  ///
  /// This is how two compiled programs become one: the transformer's forward pass with a
  /// recipe's objective on top, differentiated together.
  public func inline(_ graph: Graph, bindings: [String: Value] = [:]) -> [Value] {
    var mapped: [ValueID] = []
    mapped.reserveCapacity(graph.nodes.count)
    for node in graph.nodes {
      switch node.op {
      case .input(let name):
        if let bound = bindings[name] {
          if self.node(bound.id).type != node.type {
            record(.invalid(op: "inline", reason: "'\(name)' is \(node.type) in the inlined graph, bound to \(self.node(bound.id).type)"))
          }
          mapped.append(bound.id)
        } else if let existing = inputIDs.first(where: { if case .input(name) = nodes[$0.index].op { true } else { false } }) {
          if nodes[existing.index].type != node.type {
            record(.invalid(op: "inline", reason: "input '\(name)' is \(node.type) in the inlined graph and \(nodes[existing.index].type) here"))
          }
          mapped.append(existing)
        } else {
          mapped.append(input(name, node.type.shape, dtype: node.type.dtype).id)
        }
      case .constant(let index):
        let value = constant(graph.constants[index], label: node.label)
        mapped.append(value.id)
      default:
        var copy = node
        copy.operands = node.operands.map { mapped[$0.index] }
        let value = make(copy.op, copy.operands.map { self.value($0) }, copy.type)
        var made = nodes[value.id.index]
        if made.label == nil { made.label = node.label }
        if made.origin == nil { made.origin = node.origin }
        replace(value.id, with: made)
        mapped.append(value.id)
      }
    }
    return graph.outputs.map { value(mapped[$0.index]) }
  }
}
