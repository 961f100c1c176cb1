// The register-blocked micro-kernel that every sgemm variant ends in.

extension Matmul {
  /// Rows of C per micro-tile: one broadcast of A per row and k step.
  static let tileRows = 8
  /// Columns of C per micro-tile: two `SIMD16<Float>` registers per row.
  static let tileColumns = 32

  /// `C[0..<rows, 0..<columns] (+)= Σ_p A[i, p] · B[p, j]` for one 8×32 tile, p in `0..<depth`.
  ///
  /// `a` holds A's element `(i, p)` at `a[i · rowStride + p · depthStride]`; `b` is a packed
  /// panel, row p at `b[32 · p]` (zero beyond `columns`). The 16 accumulators start at zero
  /// and add `A[i, p] · B[p, j]` with one fused multiply-add per p in increasing order, so an
  /// element's rounding depends only on its own row and column, never on the tile it sits in.
  /// Rows of A past `rows` are read from row `rows − 1` (their results are dropped).
  @inline(__always)
  static func tile(depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                   b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                   rows: Int, columns: Int, adds: Bool) {
    let last = rows - 1
    let a0 = a, a1 = a + min(1, last) * rowStride, a2 = a + min(2, last) * rowStride
    let a3 = a + min(3, last) * rowStride, a4 = a + min(4, last) * rowStride
    let a5 = a + min(5, last) * rowStride, a6 = a + min(6, last) * rowStride
    let a7 = a + min(7, last) * rowStride
    var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
    var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
    var c40 = SIMD16<Float>(), c41 = SIMD16<Float>(), c50 = SIMD16<Float>(), c51 = SIMD16<Float>()
    var c60 = SIMD16<Float>(), c61 = SIMD16<Float>(), c70 = SIMD16<Float>(), c71 = SIMD16<Float>()
    let bRaw = UnsafeRawPointer(b)
    var p = 0
    while p < depth {
      let b0 = bRaw.loadUnaligned(fromByteOffset: p &* 128, as: SIMD16<Float>.self)
      let b1 = bRaw.loadUnaligned(fromByteOffset: p &* 128 &+ 64, as: SIMD16<Float>.self)
      let o = p &* depthStride
      var x = SIMD16<Float>(repeating: a0[o])
      c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a1[o])
      c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a2[o])
      c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a3[o])
      c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a4[o])
      c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a5[o])
      c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a6[o])
      c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
      x = SIMD16<Float>(repeating: a7[o])
      c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
      p &+= 1
    }
    if rows == 8 && columns == 32 {
      store(c00, c01, to: c, adds: adds)
      store(c10, c11, to: c + ldc, adds: adds)
      store(c20, c21, to: c + 2 * ldc, adds: adds)
      store(c30, c31, to: c + 3 * ldc, adds: adds)
      store(c40, c41, to: c + 4 * ldc, adds: adds)
      store(c50, c51, to: c + 5 * ldc, adds: adds)
      store(c60, c61, to: c + 6 * ldc, adds: adds)
      store(c70, c71, to: c + 7 * ldc, adds: adds)
    } else {
      var tile = (c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71)
      withUnsafeBytes(of: &tile) { raw in
        let values = raw.assumingMemoryBound(to: Float.self).baseAddress!
        for i in 0..<rows {
          let row = c + i * ldc
          let source = values + i * 32
          if adds {
            for j in 0..<columns { row[j] += source[j] }
          } else {
            for j in 0..<columns { row[j] = source[j] }
          }
        }
      }
    }
  }

  @inline(__always)
  private static func store(_ left: SIMD16<Float>, _ right: SIMD16<Float>, to c: UnsafeMutablePointer<Float>, adds: Bool) {
    let raw = UnsafeMutableRawPointer(c)
    if adds {
      raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) + left, as: SIMD16<Float>.self)
      raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) + right,
                     toByteOffset: 64, as: SIMD16<Float>.self)
    } else {
      raw.storeBytes(of: left, as: SIMD16<Float>.self)
      raw.storeBytes(of: right, toByteOffset: 64, as: SIMD16<Float>.self)
    }
  }
}
