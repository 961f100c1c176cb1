// A 16×16 transpose in registers, for packing B when it is stored transposed.

extension Matmul {
  /// Writes the transpose of the 16×16 block at `source` (rows `sourceRowBytes` apart) to
  /// `target` (rows `targetRowBytes` apart).
  ///
  /// Four rounds of interleaving row i with row i + 8 transpose the block (each round moves
  /// one bit of the column index into the row index); LLVM turns each interleave into one
  /// `vpermt2ps`.
  @inline(__always)
  static func transpose16(_ source: UnsafePointer<Float>, sourceRowBytes: Int,
                          into target: UnsafeMutablePointer<Float>, targetRowBytes: Int) {
    let from = UnsafeRawPointer(source)
    func row(_ i: Int) -> SIMD16<Float> { from.loadUnaligned(fromByteOffset: i * sourceRowBytes, as: SIMD16<Float>.self) }
    var r0 = row(0), r1 = row(1), r2 = row(2), r3 = row(3), r4 = row(4), r5 = row(5), r6 = row(6), r7 = row(7)
    var r8 = row(8), r9 = row(9), r10 = row(10), r11 = row(11), r12 = row(12), r13 = row(13), r14 = row(14), r15 = row(15)
    for _ in 0..<4 {
      (r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15) =
        (zipLow(r0, r8), zipHigh(r0, r8), zipLow(r1, r9), zipHigh(r1, r9),
         zipLow(r2, r10), zipHigh(r2, r10), zipLow(r3, r11), zipHigh(r3, r11),
         zipLow(r4, r12), zipHigh(r4, r12), zipLow(r5, r13), zipHigh(r5, r13),
         zipLow(r6, r14), zipHigh(r6, r14), zipLow(r7, r15), zipHigh(r7, r15))
    }
    let to = UnsafeMutableRawPointer(target)
    for (i, value) in [r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, r14, r15].enumerated() {
      to.storeBytes(of: value, toByteOffset: i * targetRowBytes, as: SIMD16<Float>.self)
    }
  }

  /// `a0 b0 a1 b1 … a7 b7`.
  @inline(__always)
  private static func zipLow(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    var result = SIMD16<Float>()
    result.evenHalf = a.lowHalf
    result.oddHalf = b.lowHalf
    return result
  }

  /// `a8 b8 a9 b9 … a15 b15`.
  @inline(__always)
  private static func zipHigh(_ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
    var result = SIMD16<Float>()
    result.evenHalf = a.highHalf
    result.oddHalf = b.highHalf
    return result
  }
}
