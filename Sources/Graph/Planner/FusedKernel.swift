import Core

/// A chain (or tree) of elementwise ops run as one pass over memory.
///
/// The planner fuses elementwise nodes whose results are used only inside the group; the
/// kernel evaluates the group tile by tile (`tileSize` elements), keeping intermediates in
/// a cache-resident scratch area instead of full-size buffers.
struct FusedKernel {
  /// Where an instruction reads an operand.
  enum Operand {
    /// A full-size buffer in the executable's slot table.
    case slot(Int)
    /// A rank-0 value in the slot table, read once per call.
    case scalar(Int)
    /// The result of an earlier instruction of this kernel.
    case register(Int)
  }

  enum Instruction {
    case unary(UnaryFunction, Operand)
    case binary(BinaryFunction, Operand, Operand)
    case select(Operand, Operand, Operand)
    /// Reads a smaller source slot by a `BroadcastPattern`.
    case broadcast(source: Int, BroadcastPattern)
  }

  static let tileSize = 512

  var instructions: [Instruction]
  /// The value ids each instruction computes, for printing and errors.
  var values: [ValueID]

  /// Kernels with at least this much work (elements × instructions) are split over the
  /// cores: a hand-off to the resident workers costs about a microsecond, so a tanh over a
  /// 128×64 activation (three instructions, ~5 µs) already gains.
  static let parallelWork = 16_384
  /// ...and with at least this many elements, so each part has whole tiles.
  static let parallelElements = 4_096

  /// Scratch floats one thread needs: a tile per instruction.
  var scratchPerThread: Int { instructions.count * Self.tileSize }

  /// Runs the kernel over `count` elements, writing the last instruction's result to `output`.
  ///
  /// Large kernels are split into `Parallel.coreCount` ranges of whole tiles, fixed by the
  /// count alone; each element is computed the same way whichever thread runs it.
  /// `scratch` holds `scratchPerThread` floats per core.
  func run(count: Int, slots: UnsafePointer<UnsafeMutableRawPointer>, scratch: UnsafeMutablePointer<Float>,
           output: UnsafeMutablePointer<Float>) {
    let isLarge = count >= Self.parallelElements && count * instructions.count >= Self.parallelWork
    let parts = isLarge ? Parallel.coreCount : 1
    if parts == 1 {
      run(from: 0, to: count, slots: slots, scratch: scratch, output: output)
      return
    }
    let tilesPerPart = ((count + Self.tileSize - 1) / Self.tileSize + parts - 1) / parts
    let perThread = scratchPerThread
    Parallel.forEach(parts) { part in
      let start = part * tilesPerPart * Self.tileSize
      let end = Swift.min(count, start + tilesPerPart * Self.tileSize)
      if start < end { run(from: start, to: end, slots: slots, scratch: scratch + part * perThread, output: output) }
    }
  }

  private func run(from start: Int, to end: Int, slots: UnsafePointer<UnsafeMutableRawPointer>,
                   scratch: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>) {
    if instructions.count == 1 {
      execute(instructions[0], offset: start, count: end - start, slots: slots, scratch: scratch, into: output + start)
      return
    }
    var offset = start
    while offset < end {
      let length = Swift.min(Self.tileSize, end - offset)
      for (index, instruction) in instructions.enumerated() {
        let destination = index == instructions.count - 1 ? output + offset : scratch + index * Self.tileSize
        execute(instruction, offset: offset, count: length, slots: slots, scratch: scratch, into: destination)
      }
      offset += length
    }
  }

  @inline(__always)
  private func execute(_ instruction: Instruction, offset: Int, count: Int, slots: UnsafePointer<UnsafeMutableRawPointer>,
                       scratch: UnsafeMutablePointer<Float>, into y: UnsafeMutablePointer<Float>) {
    func pointer(_ operand: Operand) -> UnsafePointer<Float> {
      switch operand {
      case .slot(let slot): UnsafePointer(slots[slot].assumingMemoryBound(to: Float.self) + offset)
      case .register(let index): UnsafePointer(scratch + index * Self.tileSize)
      case .scalar: preconditionFailure("scalar operand read as a vector")
      }
    }
    func scalar(_ operand: Operand) -> Float? {
      if case .scalar(let slot) = operand { return slots[slot].assumingMemoryBound(to: Float.self)[0] }
      return nil
    }
    switch instruction {
    case let .unary(f, x):
      if let s = scalar(x) {
        var input = s, value: Float = 0
        Elementwise.apply(f, &input, &value, count: 1)
        y.update(repeating: value, count: count)
      } else {
        Elementwise.apply(f, pointer(x), y, count: count)
      }
    case let .binary(f, a, b):
      switch (scalar(a), scalar(b)) {
      case (nil, nil): Elementwise.apply(f, pointer(a), pointer(b), y, count: count)
      case (nil, let s?): Elementwise.apply(f, pointer(a), scalar: s, y, count: count)
      case (let s?, nil): Elementwise.apply(f, scalar: s, pointer(b), y, count: count)
      case (let s?, let t?): y.update(repeating: Elementwise.evaluate(f, s, t), count: count)
      }
    case let .broadcast(source, pattern):
      let x = slots[source].assumingMemoryBound(to: Float.self)
      switch pattern {
      case .periodic(1):
        y.update(repeating: x[0], count: count)
      case .periodic(let period):
        var i = 0
        while i < count {
          let phase = (offset + i) % period
          let run = Swift.min(period - phase, count - i)
          (y + i).update(from: x + phase, count: run)
          i += run
        }
      case .repeated(let factor):
        var i = 0
        while i < count {
          let row = (offset + i) / factor
          let run = Swift.min(factor - (offset + i) % factor, count - i)
          (y + i).update(repeating: x[row], count: run)
          i += run
        }
      }
    case let .select(c, a, b):
      if scalar(a) == nil, scalar(b) == nil {
        Elementwise.select(pointer(c), pointer(a), pointer(b), y, count: count)
      } else {
        let condition = pointer(c)
        let sa = scalar(a), sb = scalar(b)
        let pa = sa == nil ? pointer(a) : nil, pb = sb == nil ? pointer(b) : nil
        for i in 0..<count { y[i] = condition[i] != 0 ? (sa ?? pa![i]) : (sb ?? pb![i]) }
      }
    }
  }
}
