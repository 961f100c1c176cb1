import Core
import Dispatch

/// A planned graph, ready to run many times: kernels in order over buffers allocated once.
///
///     let executable = try Planner.plan(graph)
///     let outputs = try executable.run([logp, oldLogp, advantages])
///
/// Inputs are read in place (no copy). Outputs are returned as tensors that share the
/// executable's buffers; if the caller still holds one at the next run, that output gets
/// a fresh buffer, so results are never overwritten under the caller. In a loop that
/// drops its outputs before the next call, a step allocates nothing.
///
/// An executable owns its output buffers and keeps its intermediate values in a `Workspace`
/// (its own, or one shared with executables that run one after the other), so one run at
/// a time: plan one per thread, each with its own workspace, to run concurrently. Large
/// kernels inside a run are split over the cores by `Parallel`.
public final class Executable {
  public let graph: Graph
  let steps: [Step]
  /// The value each step computes (a fused group's root), for errors and printing.
  let stepValues: [ValueID]
  let layout: SlotLayout
  let checksFinite: Bool

  /// Each output's own storage, by buffer index (nil for buffers in the workspace).
  private var buffers: [TensorStorage?]
  /// Intermediate buffers: the slots that point into the workspace, at element offsets.
  private let workspace: Workspace
  private let workspaceSlots: [(slot: Int, offset: Int)]
  /// Elements of the workspace this executable uses.
  private let workspaceCount: Int
  /// The workspace generation the slots point into (−1 before the first binding).
  private var boundGeneration = -1
  private let slotTable: UnsafeMutablePointer<UnsafeMutableRawPointer>
  private let scratch: UnsafeMutablePointer<Float>
  private let inputTypes: [ValueType]

  init(graph: Graph, steps: [Step], stepValues: [ValueID], layout: SlotLayout, pool: BufferPool, workspace: Workspace,
       checksFinite: Bool) {
    self.graph = graph
    self.steps = steps
    self.stepValues = stepValues
    self.layout = layout
    self.checksFinite = checksFinite
    self.workspace = workspace
    // Outputs get storage of their own (callers hold them); intermediates are laid out in
    // the workspace, each 64-byte aligned.
    buffers = zip(pool.counts, pool.isDedicated).map { count, dedicated in dedicated ? TensorStorage(count: count) : nil }
    var offsets = [Int](repeating: 0, count: pool.counts.count)
    var end = 0
    for (index, count) in pool.counts.enumerated() where !pool.isDedicated[index] {
      offsets[index] = end
      end += (count + 15) / 16 * 16
    }
    workspaceCount = end
    inputTypes = graph.inputs.map { graph[$0].type }
    let perThread = steps.reduce(FusedKernel.tileSize) { most, step in
      if case .fused(let kernel, _, _) = step { return Swift.max(most, kernel.scratchPerThread) }
      return most
    }
    scratch = .allocate(capacity: perThread * Parallel.coreCount)
    slotTable = .allocate(capacity: Swift.max(layout.slots.count, 1))
    var shared: [(slot: Int, offset: Int)] = []
    for (index, slot) in layout.slots.enumerated() {
      switch slot {
      case .input: slotTable[index] = UnsafeMutableRawPointer(scratch)  // bound by each run
      case .constant(let constant): slotTable[index] = graph.constants[constant].storage.raw
      case .buffer(let buffer):
        if let storage = buffers[buffer] {
          slotTable[index] = storage.raw
        } else {
          slotTable[index] = UnsafeMutableRawPointer(scratch)  // bound by each run, into the workspace
          shared.append((index, offsets[buffer]))
        }
      }
    }
    workspaceSlots = shared
    bindWorkspace()
  }

  deinit {
    slotTable.deallocate()
    scratch.deallocate()
  }

  /// Bytes held in output buffers plus the bytes of the workspace that intermediates use
  /// (inputs and constants excluded).
  public var bufferBytes: Int { buffers.reduce(workspaceCount * 4) { $0 + ($1?.count ?? 0) * 4 } }

  /// Number of kernel launches per run (after fusion).
  public var stepCount: Int { steps.count }

  /// Runs the graph on inputs given in `graph.inputs` order.
  public func run(_ inputs: [Tensor]) throws(GraphError) -> [Tensor] {
    try bind(inputs)
    detachHeldBuffers()
    try execute(timings: nil)
    return collectOutputs(inputs)
  }

  /// Checks the inputs against the graph's and points their slots at them.
  private func bind(_ inputs: [Tensor]) throws(GraphError) {
    guard inputs.count == inputTypes.count else {
      throw .badInput(name: "(all)", reason: "expected \(inputTypes.count) inputs (\(graph.inputNames.joined(separator: ", "))), got \(inputs.count)")
    }
    for (position, input) in inputs.enumerated() {
      let expected = inputTypes[position]
      guard input.dtype == expected.dtype, input.shape == expected.shape else {
        throw .badInput(name: graph.inputNames[position],
                        reason: "expected \(expected), got \(input.dtype)\(input.shape)")
      }
    }
    for (index, slot) in layout.slots.enumerated() {
      if case .input(let position) = slot { slotTable[index] = inputs[position].storage.raw }
    }
    bindWorkspace()
  }

  /// Points the intermediate slots into the workspace, which another executable sharing it
  /// may have grown (and so moved) since this one last ran.
  private func bindWorkspace() {
    let base = workspace.reserve(workspaceCount)
    guard workspace.generation != boundGeneration else { return }
    for (slot, offset) in workspaceSlots { slotTable[slot] = base + offset * 4 }
    boundGeneration = workspace.generation
  }

  /// Runs the graph `runs` times and returns the mean wall time of each step in
  /// nanoseconds, in schedule order (what `porecipe bench --show-plan` prints).
  public func profile(_ inputs: [Tensor], runs: Int) throws(GraphError) -> [Double] {
    try bind(inputs)
    var totals = [UInt64](repeating: 0, count: steps.count)
    try totals.withUnsafeMutableBufferPointer { (timings) throws(GraphError) in
      for _ in 0..<Swift.max(runs, 1) { try execute(timings: timings.baseAddress) }
    }
    return totals.map { Double($0) / Double(Swift.max(runs, 1)) }
  }

  /// Runs the graph on inputs given by name.
  public func run(_ inputs: [String: Tensor]) throws(GraphError) -> [Tensor] {
    var ordered: [Tensor] = []
    for name in graph.inputNames {
      guard let tensor = inputs[name] else { throw .badInput(name: name, reason: "not bound") }
      ordered.append(tensor)
    }
    return try run(ordered)
  }

  private func execute(timings: UnsafeMutablePointer<UInt64>?) throws(GraphError) {
    let slots = UnsafePointer(slotTable)
    func floats(_ slot: Int) -> UnsafeMutablePointer<Float> { slots[slot].assumingMemoryBound(to: Float.self) }
    func ints(_ slot: Int) -> UnsafePointer<Int32> { UnsafePointer(slots[slot].assumingMemoryBound(to: Int32.self)) }

    for (position, step) in steps.enumerated() {
      let start = timings == nil ? 0 : DispatchTime.now().uptimeNanoseconds
      defer { if let timings { timings[position] += DispatchTime.now().uptimeNanoseconds - start } }
      do {
        switch step {
        case let .fused(kernel, count, output):
          kernel.run(count: count, slots: slots, scratch: scratch, output: floats(output))
        case let .reduce(kind, input, outer, extent, inner, output):
          let (x, y) = (floats(input), floats(output))
          forEachRowRange(outer, elements: outer * extent * inner) { rows in
            Reduction.reduce(kind, x + rows.lowerBound * extent * inner, outer: rows.count, extent: extent, inner: inner,
                             into: y + rows.lowerBound * inner)
          }
        case let .matmul(s, a, b, output):
          Matmul.batched(batch: s.batch, transposeA: s.transposeA, transposeB: s.transposeB, m: s.m, n: s.n, k: s.k,
                         a: floats(a), strideA: s.m * s.k, lda: s.transposeA ? s.m : s.k,
                         b: floats(b), strideB: s.k * s.n, ldb: s.transposeB ? s.k : s.n,
                         c: floats(output), strideC: s.m * s.n, ldc: s.n, accumulate: false)
        case let .stridedCopy(input, strides, shape, output):
          let (x, y) = (UnsafePointer(floats(input)), floats(output))
          if shape.rank == 0 {
            Layout.stridedCopy(x, strides: strides, shape: shape, into: y)
          } else {
            let rowSize = shape.count / Swift.max(shape[0], 1)
            forEachRowRange(shape[0], elements: shape.count) { rows in
              var part = shape
              part[0] = rows.count
              Layout.stridedCopy(x, offset: rows.lowerBound * strides[0], strides: strides, shape: part,
                                 into: y + rows.lowerBound * rowSize)
            }
          }
        case let .slice(input, shape, axis, start, length, output):
          let (x, y) = (floats(input), floats(output))
          let (outer, extent, inner) = shape.split(at: axis)
          forEachRowRange(outer, elements: outer * length * inner) { rows in
            for o in rows {
              (y + o * length * inner).update(from: x + (o * extent + start) * inner, count: length * inner)
            }
          }
        case let .concat(inputs, extents, outer, inner, output):
          let y = floats(output)
          let total = extents.reduce(0, +) * inner
          forEachRowRange(outer, elements: outer * total) { rows in
            for o in rows {
              var destination = y + o * total
              for (input, extent) in zip(inputs, extents) {
                let block = extent * inner
                destination.update(from: floats(input) + o * block, count: block)
                destination += block
              }
            }
          }
        case let .gather(mode, table, indices, rows, width, count, output):
          switch mode {
          case .rows: try Gather.rows(floats(table), rows: rows, width: width, indices: ints(indices), count: count, into: floats(output))
          case .lastAxis: try Gather.lastAxis(floats(table), width: width, indices: ints(indices), count: count, into: floats(output))
          }
        case let .scatterAdd(mode, source, indices, rows, width, count, output):
          switch mode {
          case .rows:
            try Gather.scatterAddRows(floats(source), rows: rows, width: width, indices: ints(indices), count: count, into: floats(output))
          case .lastAxis:
            try Gather.scatterAddLastAxis(floats(source), width: width, indices: ints(indices), count: count, into: floats(output))
          }
        case let .linearScan(input, decay, outer, extent, inner, reverse, output):
          Scan.linear(floats(input), decay: floats(decay), outer: outer, extent: extent, inner: inner, reverse: reverse,
                      into: floats(output))
        }
      } catch {
        throw .invalid(op: graph[stepValues[position]].op.name, reason: error.description)
      }
      if checksFinite { try checkFinite(position) }
    }
  }

  /// Data-movement steps touching at least this many elements are split over the cores.
  static let parallelElements = 32_768

  /// Calls `body` on ranges of `0..<outer` that split the rows over the cores when the step
  /// touches enough elements; the ranges depend on the sizes only.
  @inline(__always)
  private func forEachRowRange(_ outer: Int, elements: Int, _ body: (Range<Int>) -> Void) {
    let parts = elements >= Self.parallelElements ? Swift.min(Parallel.coreCount, outer) : 1
    if parts <= 1 {
      body(0..<outer)
      return
    }
    let perPart = (outer + parts - 1) / parts
    Parallel.forEach(parts) { part in
      let rows = (part * perPart)..<Swift.min(outer, (part + 1) * perPart)
      if !rows.isEmpty { body(rows) }
    }
  }

  private func checkFinite(_ position: Int) throws(GraphError) {
    let id = stepValues[position]
    let node = graph[id]
    let values = slotTable[steps[position].output].assumingMemoryBound(to: Float.self)
    for i in 0..<node.type.shape.count where !values[i].isFinite {
      let name = node.label.map { "\(id) \($0)" } ?? "\(id)"
      let origin = node.origin.map { " (from \($0))" } ?? ""
      throw .nonFinite(op: node.op.name + origin, value: name, index: i, got: values[i])
    }
  }

  /// Wraps each output's buffer in a tensor; buffers the caller still holds from the last
  /// run are replaced first so they are never written again.
  private func collectOutputs(_ inputs: [Tensor]) -> [Tensor] {
    var result: [Tensor] = []
    result.reserveCapacity(graph.outputs.count)
    for output in graph.outputs {
      let type = graph[output].type
      switch layout.slots[layout.slot(of: output)] {
      case .buffer(let index):
        guard let storage = buffers[index] else { preconditionFailure("output \(output) is not in a dedicated buffer") }
        result.append(Tensor(shape: type.shape, dtype: type.dtype, storage: storage))
      case .input(let position):
        result.append(Tensor(shape: type.shape, dtype: type.dtype, storage: inputs[position].storage))
      case .constant(let index):
        result.append(Tensor(shape: type.shape, dtype: type.dtype, storage: graph.constants[index].storage))
      }
    }
    return result
  }

  /// Gives any buffer that a caller still references a fresh replacement (called before a run).
  private func detachHeldBuffers() {
    for index in buffers.indices {
      guard let count = buffers[index]?.count, !isKnownUniquelyReferenced(&buffers[index]) else { continue }
      let fresh = TensorStorage(count: count)
      for (slot, kind) in layout.slots.enumerated() {
        if case .buffer(index) = kind { slotTable[slot] = fresh.raw }
      }
      buffers[index] = fresh
    }
  }
}
