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
  /// Products below this many floating-point operations stay on the calling thread. With the
  /// resident workers of `Parallel` a hand-off costs well under a microsecond; measured here,
  /// two cores win from about 40×40×40 (128 kFLOP) on.
  static let parallelThreshold = 256_000
  /// Chunks per thread when a batch of small products is dealt out, so a thread slowed by
  /// other processes hands its share to the others.
  static let chunksPerThread = 4
  /// C narrower than this (and taller than wide) is computed transposed: see `sgemm`.
  static let narrowWidth = 16

  /// C[m×n] (+)= op(A) · op(B), row-major with leading dimensions; op = transpose when the flag is set.
  /// A is m×k (or k×m stored, when transposeA), B is k×n (or n×k stored, when transposeB).
  ///
  ///     C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p op(A)[i, p] · op(B)[p, j]
  ///
  /// Products of at least 256 kFLOP are split over `Parallel.coreCount` threads; the bits of
  /// C do not depend on the split.
  ///
  /// - Parameters:
  ///   - lda: Distance in elements between consecutive stored rows of A (≥ its stored width).
  ///   - ldb: Distance between consecutive stored rows of B.
  ///   - ldc: Distance between consecutive rows of C (≥ n); C must not overlap A or B.
  ///   - accumulate: Add to C's current contents instead of overwriting them.
  public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                           c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    checkSizes(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
    if transposeA, n <= narrowestWidth, k > 0, m * n * k <= 1 << 20 {
      narrowProduct(transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                    c: c, ldc: ldc, accumulate: accumulate)
      return
    }
    if n < narrowWidth, m > n, m * n <= 65_536 {
      // NOTE: the micro-kernel pads C's columns to 32 but its rows only to 8, so a narrow C
      // (a policy head: n = 2 or 3) is computed as Cᵀ = op(B)ᵀ·op(A)ᵀ and transposed back.
      withUnsafeTemporaryAllocation(of: Float.self, capacity: m * n) { transposed in
        let t = transposed.baseAddress!
        sgemm(transposeA: !transposeB, transposeB: !transposeA, m: n, n: m, k: k, a: b, lda: ldb, b: a, ldb: lda,
              c: t, ldc: m, accumulate: false)
        for i in 0..<m {
          let row = c + i * ldc
          for j in 0..<n { row[j] = accumulate ? row[j] + t[j * m + i] : t[j * m + i] }
        }
      }
      return
    }
    let product = Product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
    let flops = 2 * m * n * k
    if flops < parallelThreshold || Parallel.coreCount == 1 {
      product.compute()
    } else {
      product.computeInParts(Parallel.coreCount)
    }
  }

  /// Batched: `batch` independent products with element strides between consecutive A, B, C matrices
  /// (a stride of 0 broadcasts one matrix over the batch).
  ///
  /// Product `t` is `sgemm` on `a + t·strideA`, `b + t·strideB`, `c + t·strideC`; the C
  /// matrices must not overlap each other, A or B.
  public static func batched(batch: Int, transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                             a: UnsafePointer<Float>, strideA: Int, lda: Int, b: UnsafePointer<Float>, strideB: Int, ldb: Int,
                             c: UnsafeMutablePointer<Float>, strideC: Int, ldc: Int, accumulate: Bool) {
    precondition(batch >= 0, "batched sgemm: negative batch \(batch)")
    checkSizes(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, lda: lda, ldb: ldb, ldc: ldc)
    func entry(_ t: Int) -> Product {
      Product(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
              a: a + t * strideA, lda: lda, b: b + t * strideB, ldb: ldb,
              c: c + t * strideC, ldc: ldc, accumulate: accumulate)
    }
    let flops = 2 * m * n * k
    // NOTE: big entries split themselves; small ones are dealt out whole, a fixed range per chunk.
    if batch <= 1 || flops >= 4 * parallelThreshold || flops * batch < parallelThreshold || Parallel.coreCount == 1 {
      for t in 0..<batch {
        sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a + t * strideA, lda: lda,
              b: b + t * strideB, ldb: ldb, c: c + t * strideC, ldc: ldc, accumulate: accumulate)
      }
      return
    }
    let chunks = min(batch, Parallel.coreCount * chunksPerThread)
    let perChunk = (batch + chunks - 1) / chunks
    Parallel.forEach((batch + perChunk - 1) / perChunk) { chunk in
      for t in (chunk * perChunk)..<min(batch, (chunk + 1) * perChunk) { entry(t).compute() }
    }
  }

  /// Traps on sizes no caller may pass (callers validate user shapes first, as
  /// `Tensor.matmul` does); compiled out with `-Ounchecked`.
  @inline(__always)
  private static func checkSizes(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, lda: Int, ldb: Int, ldc: Int) {
    precondition(m >= 0 && n >= 0 && k >= 0, "sgemm: negative size m=\(m) n=\(n) k=\(k)")
    precondition(lda >= (transposeA ? m : k) && ldb >= (transposeB ? k : n) && ldc >= n,
                 "sgemm: a leading dimension is shorter than its row (lda=\(lda) ldb=\(ldb) ldc=\(ldc))")
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

  /// Depth blocks, then column blocks of B packed into this thread's buffer, then 8-row
  /// tiles of A (read in place, or packed when transposed) against each 32-column panel.
  func compute() {
    if m <= 0 || n <= 0 { return }
    if k <= 0 {
      if !accumulate {
        for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) }
      }
      return
    }
    let blocking = Blocking(m: m, n: n, k: k)
    let packedB = PackingBuffer.current()
    for p0 in stride(from: 0, to: k, by: blocking.depthStep) {
      let depth = min(blocking.depthStep, k - p0)
      for j0 in stride(from: 0, to: n, by: blocking.widthStep) {
        let width = min(blocking.widthStep, n - j0)
        Matmul.packB(transposed: transposeB, b, ldb: ldb, p0: p0, depth: depth, j0: j0, width: width, into: packedB)
        tiles(rows: 0..<blocking.rowTiles, panels: 0..<(width + 31) / 32, p0: p0, depth: depth, j0: j0, width: width,
              packedB: packedB)
      }
    }
  }

  /// Splits C into `parts` blocks of whole tiles along its longer side and computes each on
  /// one thread, which packs its own B blocks.
  ///
  /// Packing B once and sharing it was slower at every size measured (n = 64…512; about a
  /// quarter slower at n = 128): the packed panels then have to travel to the other core.
  func computeInParts(_ parts: Int) {
    let splitsRows = m >= n
    let tiles = splitsRows ? (m + Matmul.tileRows - 1) / Matmul.tileRows : (n + Matmul.tileColumns - 1) / Matmul.tileColumns
    let parts = min(parts, tiles)
    let tilesPerPart = (tiles + parts - 1) / parts
    Parallel.forEach(parts) { part in
      var piece = self
      let first = part * tilesPerPart, end = min(tiles, first + tilesPerPart)
      guard first < end else { return }
      if splitsRows {
        let i0 = first * Matmul.tileRows
        piece.m = min(m, end * Matmul.tileRows) - i0
        piece.a = transposeA ? a + i0 : a + i0 * lda
        piece.c = c + i0 * ldc
      } else {
        let j0 = first * Matmul.tileColumns
        piece.n = min(n, end * Matmul.tileColumns) - j0
        piece.b = transposeB ? b + j0 * ldb : b + j0
        piece.c = c + j0
      }
      piece.compute()
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

/// How a product is cut into depth blocks, column blocks and row tiles; a function of the
/// sizes only.
struct Blocking {
  /// Depth per block: k split into equal blocks of at most `Matmul.maxDepth`.
  let depthStep: Int
  /// Columns per packed B block, a multiple of 32.
  let widthStep: Int
  /// Number of 8-row tiles of C.
  let rowTiles: Int

  init(m: Int, n: Int, k: Int) {
    // NOTE: equal depth blocks derived from k only, so every split of C sums in the same order.
    let depthBlocks = (k + Matmul.maxDepth - 1) / Matmul.maxDepth
    depthStep = (k + depthBlocks - 1) / depthBlocks
    let widthBlocks = (n + Matmul.maxWidth - 1) / Matmul.maxWidth
    widthStep = ((n + widthBlocks - 1) / widthBlocks + 31) / 32 * 32
    rowTiles = (m + Matmul.tileRows - 1) / Matmul.tileRows
  }
}
