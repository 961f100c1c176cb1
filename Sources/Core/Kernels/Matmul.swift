/// Single-precision matrix products: `C (+)= op(A) · op(B)` on row-major matrices.
///
/// Every element of C is one fused multiply-add chain over k in increasing order within
/// fixed depth blocks chosen from k alone, so the result is bit-identical however the
/// product is split across threads or tiles.
public enum Matmul {
  /// Largest depth (k) block: one A tile of it stays in L1 while B tiles stream from L2.
  static let maxDepth = 384
  /// Largest block of B's columns packed at once: `maxDepth × maxWidth` floats fit in L2.
  static let maxWidth = 384
  /// Products below this many floating-point operations stay on the calling thread:
  /// handing work to another core costs microseconds.
  static let parallelThreshold = 2_000_000

  /// C[m×n] (+)= op(A) · op(B), row-major with leading dimensions; op = transpose when the flag is set.
  /// A is m×k (or k×m stored, when transposeA), B is k×n (or n×k stored, when transposeB).
  ///
  ///     C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p op(A)[i, p] · op(B)[p, j]
  ///
  /// - Parameters:
  ///   - lda: Distance in elements between consecutive stored rows of A (≥ its stored width).
  ///   - ldb: Distance between consecutive stored rows of B.
  ///   - ldc: Distance between consecutive rows of C.
  ///   - accumulate: Add to C's current contents instead of overwriting them.
  public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let flops = 2 * m * n * k
    let chunks = flops < parallelThreshold ? 1 : Parallel.coreCount
    // NOTE: split along the longer side of C at tile boundaries; any split gives the same bits.
    let splitsRows = m >= n
    let tiles = splitsRows ? (m + tileRows - 1) / tileRows : (n + tileColumns - 1) / tileColumns
    let parts = min(chunks, tiles)
    if parts <= 1 {
      serial(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
             b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
      return
    }
    let tilesPerPart = (tiles + parts - 1) / parts
    Parallel.forEach(parts) { part in
      let firstTile = part * tilesPerPart
      let endTile = min(tiles, firstTile + tilesPerPart)
      guard firstTile < endTile else { return }
      if splitsRows {
        let i0 = firstTile * tileRows, i1 = min(m, endTile * tileRows)
        serial(transposeA: transposeA, transposeB: transposeB, m: i1 - i0, n: n, k: k,
               a: transposeA ? a + i0 : a + i0 * lda, lda: lda, b: b, ldb: ldb,
               c: c + i0 * ldc, ldc: ldc, accumulate: accumulate)
      } else {
        let j0 = firstTile * tileColumns, j1 = min(n, endTile * tileColumns)
        serial(transposeA: transposeA, transposeB: transposeB, m: m, n: j1 - j0, k: k,
               a: a, lda: lda, b: transposeB ? b + j0 * ldb : b + j0, ldb: ldb,
               c: c + j0, ldc: ldc, accumulate: accumulate)
      }
    }
  }

  /// Batched: `batch` independent products with element strides between consecutive A, B, C matrices
  /// (a stride of 0 broadcasts one matrix over the batch).
  ///
  /// Product `t` is `sgemm` on `a + t·strideA`, `b + t·strideB`, `c + t·strideC`; the C
  /// matrices must not overlap.
  public static func batched(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, strideA: Int, lda: Int, b: UnsafePointer<Float>, strideB: Int, ldb: Int,
                             c: UnsafeMutablePointer<Float>, strideC: Int, ldc: Int, accumulate: Bool) {
    let flops = 2 * m * n * k
    // NOTE: big products split themselves; small ones are dealt out whole, in fixed ranges.
    if batch <= 1 || flops >= 4 * parallelThreshold || flops * batch < parallelThreshold {
      for t in 0..<batch {
        sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
              a: a + t * strideA, lda: lda, b: b + t * strideB, ldb: ldb,
              c: c + t * strideC, ldc: ldc, accumulate: accumulate)
      }
      return
    }
    let parts = min(batch, Parallel.coreCount)
    let perPart = (batch + parts - 1) / parts
    Parallel.forEach(parts) { part in
      for t in (part * perPart)..<min(batch, (part + 1) * perPart) {
        serial(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
               a: a + t * strideA, lda: lda, b: b + t * strideB, ldb: ldb,
               c: c + t * strideC, ldc: ldc, accumulate: accumulate)
      }
    }
  }

  /// The whole product on the calling thread: depth blocks, then column blocks of packed B,
  /// then 8-row tiles of A (read in place, or packed when transposed) against each B panel.
  static func serial(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 {
      if !accumulate {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
      }
      return
    }
    let buffer = PackingBuffer.current()
    let packedA = buffer + maxDepth * maxWidth
    // NOTE: equal depth blocks derived from k only, so every split of C sums in the same order.
    let depthBlocks = (k + maxDepth - 1) / maxDepth
    let depthStep = (k + depthBlocks - 1) / depthBlocks
    var p0 = 0
    while p0 < k {
      let depth = min(depthStep, k - p0)
      let adds = accumulate || p0 > 0
      var j0 = 0
      while j0 < n {
        let width = min(maxWidth, n - j0)
        packB(transposed: transposeB, b, ldb: ldb, p0: p0, depth: depth, j0: j0, width: width, into: buffer)
        var i0 = 0
        while i0 < m {
          let rows = min(tileRows, m - i0)
          if transposeA {
            packTransposedA(a, lda: lda, i0: i0, rows: rows, p0: p0, depth: depth, into: packedA)
            rowOfTiles(depth: depth, a: packedA, rowStride: 1, depthStride: tileRows, packedB: buffer,
                       c: c + i0 * ldc + j0, ldc: ldc, rows: rows, width: width, adds: adds)
          } else {
            rowOfTiles(depth: depth, a: a + i0 * lda + p0, rowStride: lda, depthStride: 1, packedB: buffer,
                       c: c + i0 * ldc + j0, ldc: ldc, rows: rows, width: width, adds: adds)
          }
          i0 += tileRows
        }
        j0 += maxWidth
      }
      p0 += depth
    }
  }

  /// One 8-row tile of A against every 32-column panel of the packed B block.
  @inline(__always)
  private static func rowOfTiles(depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                                 packedB: UnsafeMutablePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int,
                                 rows: Int, width: Int, adds: Bool) {
    var j = 0
    var panel = UnsafePointer(packedB)
    while j < width {
      tile(depth: depth, a: a, rowStride: rowStride, depthStride: depthStride, b: panel,
           c: c + j, ldc: ldc, rows: rows, columns: min(tileColumns, width - j), adds: adds)
      panel += depth * tileColumns
      j += tileColumns
    }
  }
}
