#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Copies of A and B blocks into the layout the micro-kernel streams through, and the
// per-thread buffers that hold them.

extension Matmul {
  /// Packs `op(B)[rows p0..<p0+depth, columns j0..<j0+width]` into panels of 32 columns:
  /// panel q holds row p at `packed[q · depth · 32 + p · 32 ..< +32]`, zero past `width`.
  static func packB(transposed: Bool, _ b: UnsafePointer<Float>, ldb: Int, p0: Int, depth: Int,
                    j0: Int, width: Int, into packed: UnsafeMutablePointer<Float>) {
    let panelSize = depth * tileColumns
    var q = 0
    var j = 0
    while j < width {
      let w = min(tileColumns, width - j)
      let panel = packed + q * panelSize
      if transposed {
        // op(B)[p, j] = B[j, p]: each stored row of B is one packed column; whole 16×16
        // blocks go through registers, the ragged rest element by element.
        let fullDepth = depth / 16 * 16
        var jj = 0
        while jj + 16 <= w {
          let source = b + (j0 + j + jj) * ldb + p0
          for p in stride(from: 0, to: fullDepth, by: 16) {
            transpose16(source + p, sourceRowBytes: ldb * 4, into: panel + p * tileColumns + jj, targetRowBytes: 128)
          }
          for row in 0..<16 {
            for p in fullDepth..<depth { panel[p * tileColumns + jj + row] = source[row * ldb + p] }
          }
          jj += 16
        }
        for column in jj..<w {
          let source = b + (j0 + j + column) * ldb + p0
          for p in 0..<depth { panel[p * tileColumns + column] = source[p] }
        }
        if w < tileColumns {
          for p in 0..<depth {
            (panel + p * tileColumns + w).update(repeating: 0, count: tileColumns - w)
          }
        }
      } else if w == tileColumns {
        let out = UnsafeMutableRawPointer(panel)
        for p in 0..<depth {
          let source = UnsafeRawPointer(b + (p0 + p) * ldb + j0 + j)
          out.storeBytes(of: source.loadUnaligned(as: SIMD16<Float>.self),
                         toByteOffset: p * 128, as: SIMD16<Float>.self)
          out.storeBytes(of: source.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self),
                         toByteOffset: p * 128 + 64, as: SIMD16<Float>.self)
        }
      } else {
        for p in 0..<depth {
          let source = b + (p0 + p) * ldb + j0 + j
          let row = panel + p * tileColumns
          for jj in 0..<w { row[jj] = source[jj] }
          (row + w).update(repeating: 0, count: tileColumns - w)
        }
      }
      q += 1
      j += tileColumns
    }
  }

  /// Packs the transposed A's tile rows `i0..<i0+rows` over depth `p0..<p0+depth`:
  /// `packed[p · 8 + i] = A[p0 + p, i0 + i]` (A stored k×m), zero past `rows`.
  static func packTransposedA(_ a: UnsafePointer<Float>, lda: Int, i0: Int, rows: Int, p0: Int, depth: Int,
                              into packed: UnsafeMutablePointer<Float>) {
    if rows == tileRows {
      let out = UnsafeMutableRawPointer(packed)
      for p in 0..<depth {
        let source = UnsafeRawPointer(a + (p0 + p) * lda + i0)
        out.storeBytes(of: source.loadUnaligned(as: SIMD8<Float>.self), toByteOffset: p * 32, as: SIMD8<Float>.self)
      }
    } else {
      for p in 0..<depth {
        let source = a + (p0 + p) * lda + i0
        let row = packed + p * tileRows
        for i in 0..<rows { row[i] = source[i] }
        (row + rows).update(repeating: 0, count: tileRows - rows)
      }
    }
  }
}

/// One thread's packing space, allocated on the thread's first product and kept for its life.
///
/// Sized for the largest blocks (`maxDepth × maxWidth` of B plus one A tile), so steady-state
/// products allocate nothing.
enum PackingBuffer {
  /// Floats per buffer: one packed B block, then one packed A tile.
  static let floatCount = Matmul.maxDepth * Matmul.maxWidth + Matmul.maxDepth * Matmul.tileRows

  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    #if canImport(Glibc)
    let status = pthread_key_create(&key) { $0?.deallocate() }
    #else
    let status = pthread_key_create(&key) { $0.deallocate() }
    #endif
    precondition(status == 0, "pthread_key_create failed (\(status))")
    return key
  }()

  /// The calling thread's buffer of `floatCount` floats, 64-byte aligned.
  static func current() -> UnsafeMutablePointer<Float> {
    if let existing = pthread_getspecific(key) {
      return existing.assumingMemoryBound(to: Float.self)
    }
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: floatCount * 4, alignment: 64)
    buffer.initializeMemory(as: Float.self, repeating: 0, count: floatCount)
    pthread_setspecific(key, buffer)
    return buffer.assumingMemoryBound(to: Float.self)
  }
}
