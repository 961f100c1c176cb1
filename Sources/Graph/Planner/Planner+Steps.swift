import Core

extension Planner {
  /// The kernel launch that computes `id` (or, for a fused group's root, the whole group).
  static func makeStep(_ id: ValueID, graph: Graph, members: [Int: [Int]]?, layout: SlotLayout) -> Step {
    let node = graph[id]
    let shape = node.type.shape
    let output = layout.slot(of: id)
    let slot = { (value: ValueID) in layout.slot(of: value) }
    let x = node.operands

    switch node.op {
    case .unary, .binary, .select:
      let group = members?[id.index] ?? [id.index]
      return .fused(fusedKernel(group, graph: graph, layout: layout), count: shape.count, output: output)
    case let .reduce(kind, axis):
      let (outer, extent, inner) = graph[x[0]].type.shape.split(at: axis)
      return .reduce(kind, input: slot(x[0]), outer: outer, extent: extent, inner: inner, output: output)
    case let .matmul(transposeA, transposeB):
      let a = graph[x[0]].type.shape
      let k = transposeA ? a[a.rank - 2] : a[a.rank - 1]
      let (m, n) = (shape[shape.rank - 2], shape[shape.rank - 1])
      let batch = shape.dims.dropLast(2).reduce(1, *)
      return .matmul(MatmulShape(batch: batch, m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB),
                     a: slot(x[0]), b: slot(x[1]), output: output)
    case .transpose(let permutation):
      let strides = graph[x[0]].type.shape.strides
      return .stridedCopy(input: slot(x[0]), strides: permutation.map { strides[$0] }, shape: shape, output: output)
    case .broadcast where BroadcastPattern(from: graph[x[0]].type.shape, to: shape) != nil:
      let group = members?[id.index] ?? [id.index]
      return .fused(fusedKernel(group, graph: graph, layout: layout), count: shape.count, output: output)
    case .broadcast:
      let source = graph[x[0]].type.shape
      let strides = source.rank == 0
        ? [Int](repeating: 0, count: shape.rank)
        : (0..<shape.rank).map { source[$0] == 1 ? 0 : source.strides[$0] }
      return .stridedCopy(input: slot(x[0]), strides: strides, shape: shape, output: output)
    case let .slice(axis, start, length):
      return .slice(input: slot(x[0]), shape: graph[x[0]].type.shape, axis: axis, start: start, length: length, output: output)
    case .concat(let axis):
      let (outer, _, inner) = shape.split(at: axis)
      return .concat(inputs: x.map(slot), extents: x.map { graph[$0].type.shape[axis] }, outer: outer, inner: inner, output: output)
    case .gather(let mode):
      let table = graph[x[0]].type.shape
      let count = graph[x[1]].type.shape.count
      return .gather(mode, table: slot(x[0]), indices: slot(x[1]), rows: table[0], width: table[table.rank - 1],
                     count: count, output: output)
    case .scatterAdd(let mode):
      let count = graph[x[1]].type.shape.count
      return .scatterAdd(mode, source: slot(x[0]), indices: slot(x[1]), rows: shape[0], width: shape[shape.rank - 1],
                         count: count, output: output)
    case let .linearScan(axis, reverse):
      let (outer, extent, inner) = shape.split(at: axis)
      return .linearScan(input: slot(x[0]), decay: slot(x[1]), outer: outer, extent: extent, inner: inner,
                         reverse: reverse, output: output)
    case .input, .constant, .reshape, .stopGradient:
      preconditionFailure("\(node.op.name) has no step: it lives in its operand's slot")
    }
  }

  /// The instructions of a fused group, operands resolved to slots, scalars or registers;
  /// reshapes and stop-gradients inside the group only rename their operand.
  static func fusedKernel(_ group: [Int], graph: Graph, layout: SlotLayout) -> FusedKernel {
    var operandOf: [Int: FusedKernel.Operand] = [:]
    var instructions: [FusedKernel.Instruction] = []
    var values: [ValueID] = []
    for index in group {
      let node = graph.nodes[index]
      let operands: [FusedKernel.Operand] = node.operands.map { operand in
        if let inside = operandOf[operand.index] { return inside }
        let isScalar = graph[operand].type.shape.isScalar && !node.type.shape.isScalar
        return isScalar ? .scalar(layout.slot(of: operand)) : .slot(layout.slot(of: operand))
      }
      switch node.op {
      case .reshape, .stopGradient:
        operandOf[index] = operands[0]
        continue
      case .unary(let f): instructions.append(.unary(f, operands[0]))
      case .binary(let f): instructions.append(.binary(f, operands[0], operands[1]))
      case .select: instructions.append(.select(operands[0], operands[1], operands[2]))
      case .broadcast:
        guard case .slot(let source)? = operands.first.map(asSlot),
              let pattern = BroadcastPattern(from: graph[node.operands[0]].type.shape, to: node.type.shape)
        else { preconditionFailure("broadcast in a fused group without a pattern") }
        instructions.append(.broadcast(source: source, pattern))
      default: preconditionFailure("\(node.op.name) in a fused group")
      }
      operandOf[index] = .register(instructions.count - 1)
      values.append(ValueID(index))
    }
    return FusedKernel(instructions: instructions, values: values)
  }

  /// A broadcast's source is never a member of its group (its shape differs), so it is read
  /// from its slot; a rank-0 source is also read from its slot, as element 0.
  private static func asSlot(_ operand: FusedKernel.Operand) -> FusedKernel.Operand {
    switch operand {
    case .scalar(let slot): .slot(slot)
    default: operand
    }
  }
}
