/// Memory for the intermediate values of executables that never run at the same time.
///
///     let workspace = Workspace()
///     let forward = try Planner.plan(forwardGraph, sharing: workspace)
///     let update = try Planner.plan(updateGraph, sharing: workspace)   // one block, the larger size
///
/// A value that is neither an input nor an output lives only during one run, so programs
/// that run one after the other (a trainer's forward and update programs, and those of
/// every batch shape it compiled) can keep their intermediates in one block instead of one
/// block each. Planning another program then allocates, and the kernel first touches, only
/// what the block lacks: a trainer that compiles a program per response length no longer
/// pays for fresh pages of memory each time, and holds one block instead of one per length.
///
/// The block grows to at least the largest request, by half its size at a time so that a
/// run of slightly larger programs moves it rarely (pages never touched cost nothing), and
/// is never zeroed (every kernel writes its whole output before anyone reads it). Executables sharing a workspace must run one at a
/// time, on any thread; an executable planned without one gets a workspace of its own.
public final class Workspace {
  /// The block; valid for `capacity` floats until it grows.
  private var block: UnsafeMutableRawPointer?
  /// Size of the block in 4-byte elements.
  public private(set) var capacity = 0
  /// Changes whenever the block is replaced, so executables know to re-point their slots.
  private(set) var generation = 0

  public init() {}

  deinit { block?.deallocate() }

  /// Bytes held.
  public var byteCount: Int { capacity * 4 }

  /// The start of a block of at least `count` elements (64-byte aligned), replacing the
  /// block by a larger one when it is smaller; the contents are undefined.
  func reserve(_ count: Int) -> UnsafeMutableRawPointer {
    if let block, count <= capacity { return block }
    block?.deallocate()
    capacity = Swift.max(count, capacity + capacity / 2)
    let grown = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(capacity, 1) * 4, alignment: 64)
    block = grown
    generation &+= 1
    return grown
  }
}
