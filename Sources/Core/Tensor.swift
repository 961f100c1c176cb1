/// An n-dimensional array of `Float` (or `Int32` indices) in contiguous row-major storage.
///
/// `Tensor` is a value: copies share storage until one of them is written
/// (copy-on-write), so passing tensors around costs nothing and mutation stays local.
///
///     let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
///     let y = try x.reshaped(to: [3, 2])
public struct Tensor: @unchecked Sendable {
  public let dtype: DType
  public private(set) var shape: Shape
  public private(set) var storage: TensorStorage

  /// A zero-filled tensor.
  public init(zeros shape: Shape, dtype: DType = .float32) {
    self.dtype = dtype
    self.shape = shape
    storage = TensorStorage(count: shape.count)
  }

  /// A tensor whose elements are all `value`.
  public init(repeating value: Float, shape: Shape) {
    self.init(zeros: shape)
    storage.floats.update(repeating: value, count: shape.count)
  }

  /// A float tensor from row-major scalars; the count must equal `shape.count`.
  public init(shape: Shape, scalars: [Float]) {
    precondition(scalars.count == shape.count,
                 "Tensor(shape: \(shape)) needs \(shape.count) scalars, got \(scalars.count)")
    self.init(zeros: shape)
    scalars.withUnsafeBufferPointer { storage.floats.update(from: $0.baseAddress!, count: $0.count) }
  }

  /// An int32 tensor of indices from row-major values.
  public init(shape: Shape, indices: [Int32]) {
    precondition(indices.count == shape.count,
                 "Tensor(shape: \(shape)) needs \(shape.count) indices, got \(indices.count)")
    self.init(zeros: shape, dtype: .int32)
    indices.withUnsafeBufferPointer { storage.int32s.update(from: $0.baseAddress!, count: $0.count) }
  }

  /// A rank-0 tensor.
  public init(scalar: Float) { self.init(shape: .scalar, scalars: [scalar]) }

  /// Wraps existing storage; `storage.count` must be `shape.count`.
  public init(shape: Shape, dtype: DType = .float32, storage: TensorStorage) {
    precondition(storage.count == shape.count, "storage of \(storage.count) for shape \(shape)")
    self.dtype = dtype
    self.shape = shape
    self.storage = storage
  }

  public var count: Int { shape.count }
  public var rank: Int { shape.rank }

  /// The elements as floats, row-major (a copy).
  public var scalars: [Float] {
    precondition(dtype == .float32, "scalars of an \(dtype) tensor; use indices")
    return Array(UnsafeBufferPointer(start: storage.floats, count: count))
  }

  /// The elements as int32 indices, row-major (a copy).
  public var indices: [Int32] {
    precondition(dtype == .int32, "indices of an \(dtype) tensor; use scalars")
    return Array(UnsafeBufferPointer(start: storage.int32s, count: count))
  }

  /// The single element of a one-element tensor.
  public var scalar: Float {
    precondition(count == 1, "scalar of a tensor with \(count) elements")
    return storage.floats[0]
  }

  /// Read-only pointer to the float elements; valid while this tensor is alive and unmodified.
  public var floats: UnsafePointer<Float> { UnsafePointer(storage.floats) }
  /// Read-only pointer to the int32 elements.
  public var int32s: UnsafePointer<Int32> { UnsafePointer(storage.int32s) }

  /// Makes the storage unique (copying it if shared) and returns its writable float pointer.
  public mutating func mutableFloats() -> UnsafeMutablePointer<Float> {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    return storage.floats
  }

  /// Makes the storage unique and returns its writable int32 pointer.
  public mutating func mutableInt32s() -> UnsafeMutablePointer<Int32> {
    if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    return storage.int32s
  }

  /// Whether no other tensor shares this storage (so writing it in place is invisible).
  public mutating func isUniquelyStored() -> Bool { isKnownUniquelyReferenced(&storage) }

  /// Element access by flat row-major index.
  public subscript(flat index: Int) -> Float {
    get { storage.floats[index] }
    set { mutableFloats()[index] = newValue }
  }

  /// The same elements viewed with another shape of equal count (no copy).
  public func reshaped(to newShape: Shape) throws(CoreError) -> Tensor {
    guard newShape.count == count else {
      throw .shapeMismatch(op: "reshape", shapes: [shape, newShape],
                           reason: "element counts \(count) and \(newShape.count) differ")
    }
    return Tensor(shape: newShape, dtype: dtype, storage: storage)
  }
}

extension Tensor: Equatable {
  /// Equal when dtype, shape and every element's bits agree (NaN equals a NaN of the same bits).
  public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
    lhs.dtype == rhs.dtype && lhs.shape == rhs.shape
      && memcmp(lhs.storage.raw, rhs.storage.raw, lhs.count * 4) == 0
  }
}

extension Tensor: CustomStringConvertible {
  public var description: String {
    let shown = dtype == .float32
      ? scalars.prefix(8).map { "\($0)" } : indices.prefix(8).map { "\($0)" }
    return "Tensor<\(dtype)>\(shape)(\(shown.joined(separator: ", "))\(count > 8 ? ", …" : ""))"
  }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
