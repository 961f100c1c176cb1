/// Loads and stores of 16-float groups for the optimizer loops.
///
/// Each kernel runs its update formula once, on `SIMD16<Float>`: full groups load and store
/// whole vectors, and the last `count % 16` elements are gathered into a zero-padded vector and
/// scattered back element by element (the scalar tail), so the tail computes exactly the same
/// expression as the body.
enum Lanes {
  static let width = 16

  /// Elements `i ..< i + n` (n ≤ 16) as a vector; lanes past `n` are 0.
  @inline(__always)
  static func load(_ pointer: UnsafePointer<Float>, _ i: Int, _ n: Int) -> SIMD16<Float> {
    if n == width { return UnsafeRawPointer(pointer + i).loadUnaligned(as: SIMD16<Float>.self) }
    var vector = SIMD16<Float>(repeating: 0)
    for lane in 0..<n { vector[lane] = pointer[i + lane] }
    return vector
  }

  /// `load` through a mutable pointer.
  @inline(__always)
  static func load(_ pointer: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) -> SIMD16<Float> {
    load(UnsafePointer(pointer), i, n)
  }

  /// Writes the first `n` lanes of `vector` to elements `i ..< i + n`.
  @inline(__always)
  static func store(_ vector: SIMD16<Float>, _ pointer: UnsafeMutablePointer<Float>, _ i: Int, _ n: Int) {
    if n == width {
      UnsafeMutableRawPointer(pointer + i).storeBytes(of: vector, as: SIMD16<Float>.self)
      return
    }
    for lane in 0..<n { pointer[i + lane] = vector[lane] }
  }
}
