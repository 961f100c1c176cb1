/// Single-precision matrix products: `C (+)= op(A) · op(B)` on row-major matrices.
///
/// Every element of C is one fused multiply-add chain over k in increasing order within
/// fixed depth blocks chosen from k alone, so the result is bit-identical however the
/// product is split across threads or tiles.
public enum Matmul {
  /// Largest depth (k) block: one A tile of it stays in L1 while B panels stream from L2.
  static let maxDepth = 384
  /// Largest block of B's columns packed at once: `maxDepth × maxWidth` floats fit in L2.
  static let maxWidth = 384
  /// Products below this many floating-point operations stay on the calling thread.
  static let parallelThreshold = 2_000_000
  /// Chunks per thread in a split product, so a thread slowed by other processes hands its
  /// share to the others.
  static let chunksPerThread = 4

  /// C[m×n] (+)= op(A) · op(B), row-major with leading dimensions; op = transpose when the flag is set.
  /// A is m×k (or k×m stored, when transposeA), B is k×n (or n×k stored, when transposeB).
  ///
  ///     C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p op(A)[i, p] · op(B)[p, j]
  ///
  /// Products of at least 2 MFLOP are split over `Parallel.coreCount` threads; the bits of C
  /// do not depend on the split.
  ///
  /// - Parameters:
  ///   - lda: Distance in elements between consecutive stored rows of A (≥ its stored width).
  ///   - ldb: Distance between consecutive stored rows of B.
  ///   - ldc: Distance between consecutive rows of C (≥ n); C must not overlap A or B.
  ///   - accumulate: Add to C's current contents instead of overwriting them.
  public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    let product = Product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
    product.compute(threads: 2 * m * n * k < parallelThreshold ? 1 : Parallel.coreCount)
  }

  /// Batched: `batch` independent products with element strides between consecutive A, B, C matrices
  /// (a stride of 0 broadcasts one matrix over the batch).
  ///
  /// Product `t` is `sgemm` on `a + t·strideA`, `b + t·strideB`, `c + t·strideC`; the C
  /// matrices must not overlap each other, A or B.
  public static func batched(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, strideA: Int, lda: Int, b: UnsafePointer<Float>, strideB: Int, ldb: Int,
                             c: UnsafeMutablePointer<Float>, strideC: Int, ldc: Int, accumulate: Bool) {
    func entry(_ t: Int) -> Product {
      Product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
              a: a + t * strideA, lda: lda, b: b + t * strideB, ldb: ldb,
              c: c + t * strideC, ldc: ldc, accumulate: accumulate)
    }
    let flops = 2 * m * n * k
    // NOTE: big entries split themselves; small ones are dealt out whole, a fixed range per chunk.
    if batch <= 1 || flops >= 4 * parallelThreshold || flops * batch < parallelThreshold || Parallel.coreCount == 1 {
      for t in 0..<batch { entry(t).compute(threads: flops < parallelThreshold ? 1 : Parallel.coreCount) }
      return
    }
    let chunks = min(batch, Parallel.coreCount * chunksPerThread)
    let perChunk = (batch + chunks - 1) / chunks
    Parallel.forEach((batch + perChunk - 1) / perChunk) { chunk in
      for t in (chunk * perChunk)..<min(batch, (chunk + 1) * perChunk) { entry(t).compute(threads: 1) }
    }
  }
}

/// One product's operands, as the blocked driver walks them.
struct Product {
  var transposeA: Bool, transposeB: Bool
  var m: Int, n: Int, k: Int
  var a: UnsafePointer<Float>, lda: Int
  var b: UnsafePointer<Float>, ldb: Int
  var c: UnsafeMutablePointer<Float>, ldc: Int
  var accumulate: Bool

  /// Depth blocks, then column blocks of B packed once into the calling thread's buffer, then
  /// 8-row tiles of A (read in place, or packed when transposed) against each 32-column panel.
  /// With `threads > 1` the packing and the tiles are dealt out in chunks.
  func compute(threads: Int) {
    if m <= 0 || n <= 0 { return }
    if k <= 0 {
      if !accumulate {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
      }
      return
    }
    let packedB = PackingBuffer.current()
    // NOTE: equal depth blocks derived from k only, so every split of C sums in the same order.
    let depthBlocks = (k + Matmul.maxDepth - 1) / Matmul.maxDepth
    let depthStep = (k + depthBlocks - 1) / depthBlocks
    let widthBlocks = (n + Matmul.maxWidth - 1) / Matmul.maxWidth
    let widthStep = ((n + widthBlocks - 1) / widthBlocks + 31) / 32 * 32
    let rowTiles = (m + Matmul.tileRows - 1) / Matmul.tileRows
    var p0 = 0
    while p0 < k {
      let depth = min(depthStep, k - p0)
      var j0 = 0
      while j0 < n {
        let width = min(widthStep, n - j0)
        let panels = (width + Matmul.tileColumns - 1) / Matmul.tileColumns
        let panelSize = depth * Matmul.tileColumns
        if threads == 1 {
          Matmul.packB(transposed: transposeB, b, ldb: ldb, p0: p0, depth: depth, j0: j0, width: width, into: packedB)
          tiles(rows: 0..<rowTiles, panels: 0..<panels, p0: p0, depth: depth, j0: j0, width: width, packedB: packedB)
        } else {
          // NOTE: a small block is packed by the caller alone: a hand-off costs more than it saves.
          let packChunks = depth * width < 32_768 ? 1 : min(panels, threads)
          let perPack = (panels + packChunks - 1) / packChunks
          Parallel.forEach((panels + perPack - 1) / perPack) { chunk in
            let first = chunk * perPack * Matmul.tileColumns
            Matmul.packB(transposed: transposeB, b, ldb: ldb, p0: p0, depth: depth, j0: j0 + first,
                         width: min(width - first, perPack * Matmul.tileColumns), into: packedB + chunk * perPack * panelSize)
          }
          // NOTE: split C's rows when there are enough tiles, else its columns.
          let splitsRows = rowTiles >= 2 * threads || rowTiles >= panels
          let units = splitsRows ? rowTiles : panels
          let perChunk = (units + threads * Matmul.chunksPerThread - 1) / (threads * Matmul.chunksPerThread)
          Parallel.forEach((units + perChunk - 1) / perChunk) { chunk in
            let range = (chunk * perChunk)..<min(units, (chunk + 1) * perChunk)
            tiles(rows: splitsRows ? range : 0..<rowTiles, panels: splitsRows ? 0..<panels : range,
                  p0: p0, depth: depth, j0: j0, width: width, packedB: packedB)
          }
        }
        j0 += width
      }
      p0 += depth
    }
  }

  /// The tiles in `rows × panels` of one packed depth-and-column block.
  private func tiles(rows: Range<Int>, panels: Range<Int>, p0: Int, depth: Int, j0: Int, width: Int,
                     packedB: UnsafeMutablePointer<Float>) {
    let adds = accumulate || p0 > 0
    let packedA = PackingBuffer.current() + Matmul.maxDepth * Matmul.maxWidth
    for tile in rows {
      let i0 = tile * Matmul.tileRows
      let tileRows = min(Matmul.tileRows, m - i0)
      let rowC = c + i0 * ldc + j0
      if transposeA {
        Matmul.packTransposedA(a, lda: lda, i0: i0, rows: tileRows, p0: p0, depth: depth, into: packedA)
        rowOfTiles(depth: depth, a: packedA, rowStride: 1, depthStride: Matmul.tileRows, packedB: packedB,
                   panels: panels, c: rowC, rows: tileRows, width: width, adds: adds)
      } else {
        rowOfTiles(depth: depth, a: a + i0 * lda + p0, rowStride: lda, depthStride: 1, packedB: packedB,
                   panels: panels, c: rowC, rows: tileRows, width: width, adds: adds)
      }
    }
  }

  /// One 8-row tile of A against the given 32-column panels of the packed B block.
  @inline(__always)
  private func rowOfTiles(depth: Int, a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
                          packedB: UnsafeMutablePointer<Float>, panels: Range<Int>,
                          c: UnsafeMutablePointer<Float>, rows: Int, width: Int, adds: Bool) {
    for panel in panels {
      let j = panel * Matmul.tileColumns
      Matmul.tile(depth: depth, a: a, rowStride: rowStride, depthStride: depthStride,
                  b: packedB + panel * depth * Matmul.tileColumns, c: c + j, ldc: ldc, rows: rows,
                  columns: min(Matmul.tileColumns, width - j), adds: adds)
    }
  }
}
