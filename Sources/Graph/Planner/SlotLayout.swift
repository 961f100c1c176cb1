import Core

/// Where each value of a planned graph lives: the caller's input tensors, the graph's
/// constants, or the executable's buffers; reshapes and stop-gradients share their operand's.
struct SlotLayout {
  enum Slot {
    case input(position: Int)
    case constant(index: Int)
    case buffer(index: Int)
  }

  private(set) var slots: [Slot] = []
  /// The slot of each value's root, or −1 before it is assigned.
  private(set) var slotOfValue: [Int]
  /// Each value's root: itself, or the value a reshape/stop-gradient chain starts from.
  private var rootOfValue: [Int]

  init(graph: Graph) {
    slotOfValue = [Int](repeating: -1, count: graph.nodes.count)
    rootOfValue = Array(0..<graph.nodes.count)
    for (position, input) in graph.inputs.enumerated() {
      slotOfValue[input.index] = slots.count
      slots.append(.input(position: position))
    }
    for (index, node) in graph.nodes.enumerated() {
      if case .constant(let constant) = node.op {
        slotOfValue[index] = slots.count
        slots.append(.constant(index: constant))
      }
    }
  }

  mutating func alias(_ value: ValueID, to operand: ValueID) {
    rootOfValue[value.index] = rootOfValue[operand.index]
  }

  func root(of value: ValueID) -> ValueID { ValueID(rootOfValue[value.index]) }

  func slot(of value: ValueID) -> Int { slotOfValue[rootOfValue[value.index]] }

  /// Whether the value's root lives in a buffer the pool manages.
  func isPooled(_ root: ValueID) -> Bool {
    if case .buffer = slots[slotOfValue[root.index]] { return true }
    return false
  }

  func buffer(of root: ValueID) -> Int {
    guard case .buffer(let index) = slots[slotOfValue[root.index]] else { preconditionFailure("\(root) is not in a buffer") }
    return index
  }

  mutating func assignBuffer(_ value: ValueID, count: Int, from pool: inout BufferPool, dedicated: Bool) {
    slotOfValue[value.index] = slots.count
    slots.append(.buffer(index: pool.acquire(count: count, dedicated: dedicated)))
  }
}

/// Buffers by element count; a released buffer is handed to the next value of that count.
/// Dedicated buffers hold outputs: they are never reused and never live in a shared workspace.
struct BufferPool {
  let reuses: Bool
  private(set) var counts: [Int] = []
  private(set) var isDedicated: [Bool] = []
  private var free: [Int: [Int]] = [:]

  init(reuses: Bool) { self.reuses = reuses }

  mutating func acquire(count: Int, dedicated: Bool) -> Int {
    if reuses, !dedicated, let index = free[count]?.popLast() { return index }
    counts.append(count)
    isDedicated.append(dedicated)
    return counts.count - 1
  }

  mutating func release(_ index: Int) {
    if reuses { free[counts[index], default: []].append(index) }
  }
}
