/// Which elementwise nodes the planner runs as one fused kernel.
enum Fusion {
  /// Ops that a fused kernel can evaluate tile by tile.
  static func isFusable(_ op: Op) -> Bool {
    switch op {
    case .unary, .binary, .select: true
    default: false
    }
  }

  /// For every node, the index of the node whose step computes it: a fusable node whose
  /// users all belong to one group of the same shape joins that group; every other node is
  /// its own root. Walking backwards visits users before producers, so whole trees
  /// (and diamonds such as `ratio` feeding both PPO branches) collapse into one kernel.
  static func groups(_ graph: Graph, live: [Bool]) -> [Int] {
    let users = graph.users
    let outputs = Set(graph.outputs.map(\.index))
    var group = Array(0..<graph.nodes.count)
    for index in stride(from: graph.nodes.count - 1, through: 0, by: -1) where live[index] {
      let node = graph.nodes[index]
      guard isFusable(node.op), !outputs.contains(index) else { continue }
      let liveUsers = users[index].filter { live[$0.index] }
      guard let first = liveUsers.first, isFusable(graph[first].op) else { continue }
      let root = group[first.index]
      let joins = liveUsers.allSatisfy { isFusable(graph[$0].op) && group[$0.index] == root }
        && graph.nodes[root].type.shape == node.type.shape
      if joins { group[index] = root }
    }
    return group
  }

  /// Each fused group's members in schedule order, keyed by the root (groups of one included).
  static func members(_ group: [Int]) -> [Int: [Int]] {
    var members: [Int: [Int]] = [:]
    for (index, root) in group.enumerated() { members[root, default: []].append(index) }
    return members
  }
}
