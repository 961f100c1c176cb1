/// A fixed-size, 64-byte-aligned block of 4-byte elements that tensors share copy-on-write.
///
/// Aligned, manually managed memory gives kernels stable pointers without closures, and lets
/// the graph executor reuse the same buffers across steps with no allocation.
public final class TensorStorage: @unchecked Sendable {
  /// Number of 4-byte elements.
  public let count: Int
  /// The first element; valid for `count` elements while the storage lives.
  public let raw: UnsafeMutableRawPointer

  /// Allocates `count` zeroed elements.
  public init(count: Int) {
    precondition(count >= 0, "negative element count")
    self.count = count
    raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * 4, alignment: 64)
    raw.initializeMemory(as: UInt32.self, repeating: 0, count: max(count, 1))
  }

  /// A new storage holding the same bits.
  public func copy() -> TensorStorage {
    let other = TensorStorage(count: count)
    other.raw.copyMemory(from: raw, byteCount: count * 4)
    return other
  }

  public var floats: UnsafeMutablePointer<Float> { raw.assumingMemoryBound(to: Float.self) }
  public var int32s: UnsafeMutablePointer<Int32> { raw.assumingMemoryBound(to: Int32.self) }

  deinit { raw.deallocate() }
}
