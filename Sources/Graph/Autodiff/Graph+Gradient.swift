import Core

extension Graph {
  /// Reverse-mode differentiation: a new graph whose outputs are this graph's outputs
  /// followed by d loss / d v for each v in `values` (zeros where v does not reach the loss).
  ///
  /// - Parameters:
  ///   - loss: a rank-0 float value of this graph.
  ///   - values: the values to differentiate with respect to, usually inputs (parameters).
  public func gradient(of loss: ValueID, withRespectTo values: [ValueID]) throws(GraphError) -> Graph {
    guard self[loss].type == ValueType(.float32, .scalar) else {
      throw .invalid(op: "gradient", reason: "the loss must be a float scalar, got \(self[loss].type)")
    }
    let active = activeValues(from: values, to: loss)
    let builder = GraphBuilder(extending: self)
    var cotangents: [ValueID: Cotangent] = [loss: .value(builder.scalar(1))]
    var results: [ValueID: Value] = [:]
    for index in stride(from: loss.index, through: 0, by: -1) where active[index] {
      let id = ValueID(index)
      let node = self[id]
      builder.origin = node.origin
      guard let g = cotangents.removeValue(forKey: id)?.materialized(shape: node.type.shape) else { continue }
      if values.contains(id) { results[id] = g }
      let contributions: [Cotangent?]
      if case let .slice(axis, start, _) = node.op {
        contributions = [.pieces(axis: axis, [(start, g)])]
      } else {
        contributions = GradientRules.vjp(node, output: builder.value(id), cotangent: g, in: builder).map { $0.map(Cotangent.value) }
      }
      for (operand, contribution) in zip(node.operands, contributions) where active[operand.index] {
        guard let contribution else { continue }
        let shape = self[operand].type.shape
        cotangents[operand] = cotangents[operand].map { $0.adding(contribution, shape: shape) } ?? contribution
      }
    }
    builder.origin = nil
    let gradients = values.map { results[$0] ?? builder.scalar(0).broadcast(to: self[$0].type.shape) }
    return try builder.build(outputs: outputs.map(builder.value) + gradients)
  }

  /// Values on some path from one of `sources` to `target`: only they need cotangents.
  private func activeValues(from sources: [ValueID], to target: ValueID) -> [Bool] {
    var dependsOnSource = [Bool](repeating: false, count: nodes.count)
    for source in sources { dependsOnSource[source.index] = true }
    for (index, node) in nodes.enumerated() where !dependsOnSource[index] {
      dependsOnSource[index] = node.operands.contains { dependsOnSource[$0.index] }
    }
    var reachesTarget = [Bool](repeating: false, count: nodes.count)
    reachesTarget[target.index] = true
    for index in stride(from: target.index, through: 0, by: -1) where reachesTarget[index] {
      for operand in nodes[index].operands { reachesTarget[operand.index] = true }
    }
    return zip(dependsOnSource, reachesTarget).map { $0 && $1 }
  }
}
