import Core

/// Which elementwise nodes the planner runs as one fused kernel.
enum Fusion {
  /// Nodes that a fused kernel can evaluate tile by tile: elementwise ops, and broadcasts
  /// that read their source periodically (a bias row) or repeatedly (a per-row statistic).
  static func isFusable(_ node: Node, in graph: Graph) -> Bool {
    switch node.op {
    case .unary, .binary, .select: true
    case .broadcast: BroadcastPattern(from: graph[node.operands[0]].type.shape, to: node.type.shape) != nil
    default: false
    }
  }

  /// For every node, the index of the node whose step computes it: a fusable node whose
  /// users all belong to one group of the same shape joins that group; every other node is
  /// its own root. Walking backwards visits users before producers, so whole trees
  /// (and diamonds such as `ratio` feeding both PPO branches) collapse into one kernel.
  /// Reshapes and stop-gradients change no element, so inside a group they are just a
  /// renaming; outside one they alias their operand's buffer.
  static func isTransparent(_ op: Op) -> Bool {
    switch op {
    case .reshape, .stopGradient: true
    default: false
    }
  }

  static func groups(_ graph: Graph, live: [Bool]) -> [Int] {
    let users = graph.users
    let outputs = Set(graph.outputs.map(\.index))
    var group = Array(0..<graph.nodes.count)
    let joinable = { (node: Node) in isFusable(node, in: graph) || isTransparent(node.op) }
    for index in stride(from: graph.nodes.count - 1, through: 0, by: -1) where live[index] {
      let node = graph.nodes[index]
      guard joinable(node), !outputs.contains(index) else { continue }
      let liveUsers = users[index].filter { live[$0.index] }
      guard let first = liveUsers.first else { continue }
      let root = group[first.index]
      // A group is rooted at a computing node; elementwise order is flat order, so members
      // need the root's element count, not its shape.
      let joins = liveUsers.allSatisfy { joinable(graph[$0]) && group[$0.index] == root }
        && isFusable(graph.nodes[root], in: graph)
        && graph.nodes[root].type.shape.count == node.type.shape.count
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

/// How a fusable broadcast reads its source: output element i is source[i % period]
/// (leading axes repeated, e.g. a [1, n] bias over [m, n]) or source[i / factor]
/// (trailing axes repeated, e.g. a [m, 1] row mean over [m, n]).
enum BroadcastPattern: Equatable {
  case periodic(period: Int)
  case repeated(factor: Int)

  /// The pattern of broadcasting `source` to `target`, or nil when repeated and kept axes
  /// interleave (such broadcasts are materialized by a strided copy).
  init?(from source: Shape, to target: Shape) {
    if source.rank == 0 { self = .periodic(period: 1); return }
    guard source.rank == target.rank else { return nil }
    var kinds: [Bool] = []  // true: kept, false: repeated; axes of extent 1 are neutral
    for axis in 0..<target.rank where target[axis] != 1 {
      kinds.append(source[axis] == target[axis])
    }
    guard let boundary = kinds.firstIndex(where: { $0 != kinds.first }) else {
      // All kept (no broadcast) or all repeated (a single value).
      if kinds.allSatisfy({ $0 }) { return nil }
      self = .periodic(period: 1)
      return
    }
    guard kinds[boundary...].allSatisfy({ $0 == kinds[boundary] }) else { return nil }
    if kinds[0] {
      self = .repeated(factor: target.count / source.count)
    } else {
      self = .periodic(period: source.count)
    }
  }
}
