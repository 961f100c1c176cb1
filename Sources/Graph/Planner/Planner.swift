import Core

/// Options of `Planner.plan`.
public struct PlanOptions: Sendable {
  /// Fuse chains of elementwise ops into single passes over memory.
  public var fusesElementwise = true
  /// Let values whose lifetimes do not overlap share buffers.
  public var reusesBuffers = true
  /// Check every computed value for NaN/±Inf and throw `GraphError.nonFinite` naming the op.
  public var checksFinite = false

  public init(fusesElementwise: Bool = true, reusesBuffers: Bool = true, checksFinite: Bool = false) {
    self.fusesElementwise = fusesElementwise
    self.reusesBuffers = reusesBuffers
    self.checksFinite = checksFinite
  }
}

/// Turns a graph into an `Executable`: a topological schedule of kernels over buffers
/// allocated once, with dead values dropped, elementwise chains fused and buffers reused.
public enum Planner {
  /// - Parameter workspace: where the intermediate values live; executables planned with the
  ///   same workspace share its memory and must run one at a time. Without one the
  ///   executable gets a workspace of its own.
  public static func plan(_ graph: Graph, options: PlanOptions = PlanOptions(),
                          sharing workspace: Workspace? = nil) throws(GraphError) -> Executable {
    let live = graph.liveValues()
    let groups = options.fusesElementwise ? Fusion.groups(graph, live: live) : nil
    let members = groups.map(Fusion.members)
    var layout = SlotLayout(graph: graph)
    var steps: [Step] = []
    var stepValues: [ValueID] = []

    // Values computed by a step, in schedule order, with their operands; used for liveness.
    for (index, node) in graph.nodes.enumerated() where live[index] {
      let id = ValueID(index)
      switch node.op {
      case .input, .constant:
        continue
      case .reshape, .stopGradient:
        layout.alias(id, to: node.operands[0])
        continue
      default:
        break
      }
      if let groups, Fusion.isFusable(node, in: graph), groups[index] != index { continue }  // computed by its group's root
      stepValues.append(id)
    }

    // Last use of every slot root, in step positions (outputs live to the end).
    var lastUse = [Int](repeating: -1, count: graph.nodes.count)
    for (position, id) in stepValues.enumerated() {
      for operand in stepOperands(id, graph: graph, members: members) {
        lastUse[layout.root(of: operand).index] = position
      }
    }
    for output in graph.outputs { lastUse[layout.root(of: output).index] = Int.max }

    var pool = BufferPool(reuses: options.reusesBuffers)
    for (position, id) in stepValues.enumerated() {
      let node = graph[id]
      let operands = stepOperands(id, graph: graph, members: members)
      let dying = Set(operands.map { layout.root(of: $0) }).filter {
        lastUse[$0.index] == position && layout.isPooled($0)
      }
      // Elementwise kernels may write over an operand they are reading (same element), so
      // their dying operands are released first; other kernels need a distinct output.
      let isElementwise = node.op.isElementwise
      if isElementwise { for root in dying { pool.release(layout.buffer(of: root)) } }
      layout.assignBuffer(id, count: node.type.shape.count, from: &pool, dedicated: lastUse[id.index] == .max)
      if !isElementwise { for root in dying { pool.release(layout.buffer(of: root)) } }
      steps.append(makeStep(id, graph: graph, members: members, layout: layout))
    }
    return Executable(graph: graph, steps: steps, stepValues: stepValues, layout: layout, pool: pool,
                      workspace: workspace ?? Workspace(), checksFinite: options.checksFinite)
  }

  /// The values a step reads: a fused group's external operands, or the node's operands.
  static func stepOperands(_ id: ValueID, graph: Graph, members: [Int: [Int]]?) -> [ValueID] {
    guard let group = members?[id.index] else { return graph[id].operands }
    var external: [ValueID] = []
    for index in group {
      for operand in graph.nodes[index].operands where !group.contains(operand.index) && !external.contains(operand) {
        external.append(operand)
      }
    }
    return external
  }
}
