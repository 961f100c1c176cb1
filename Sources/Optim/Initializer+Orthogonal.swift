import Core

extension Initializer {
  /// `torch.nn.init.orthogonal_` (see `Initializer.orthogonal`).
  static func orthogonal(shape: Shape, gain: Float, rng: inout Philox) throws(OptimError) -> Tensor {
    guard shape.rank >= 2 else {
      throw .unsupportedShape(initializer: "orthogonal", shape: shape, reason: "needs at least 2 dimensions")
    }
    var result = Tensor(zeros: shape)
    guard shape.count > 0 else { return result }
    let rows = shape[0]
    let cols = shape.count / rows
    var draws = [Double](repeating: 0, count: rows * cols)
    for i in draws.indices { draws[i] = Double(rng.normal()) }
    let q = orthogonalFactor(of: draws, rows: rows, columns: cols)
    let out = result.mutableFloats()
    for i in q.indices { out[i] = Float(q[i]) * gain }
    return result
  }

  /// The orthogonal factor torch's `orthogonal_` takes from a rows × cols row-major matrix:
  /// Q·sign(diag R) of the QR decomposition of the matrix (rows ≥ cols) or of its transpose
  /// (rows < cols, then transposed back), row-major rows × cols.
  static func orthogonalFactor(of matrix: [Double], rows: Int, columns cols: Int) -> [Double] {
    // A is m × n with m ≥ n; q holds its columns, each contiguous: column j is q[j·m ..< (j+1)·m].
    let isTransposed = rows < cols
    let (m, n) = isTransposed ? (cols, rows) : (rows, cols)
    var q = [Double](repeating: 0, count: m * n)
    for i in 0..<rows {
      for j in 0..<cols {
        let (row, column) = isTransposed ? (j, i) : (i, j)
        q[column * m + row] = matrix[i * cols + j]
      }
    }
    q.withUnsafeMutableBufferPointer { orthonormalizeColumns($0.baseAddress!, rows: m, columns: n) }
    var result = [Double](repeating: 0, count: rows * cols)
    for i in 0..<rows {
      for j in 0..<cols {
        // Q is m × n; the result is Q (rows ≥ cols) or Qᵀ (rows < cols).
        result[i * cols + j] = isTransposed ? q[i * m + j] : q[j * m + i]
      }
    }
    return result
  }

  /// Modified Gram–Schmidt with a second pass (“twice is enough”, Giraud et al. 2005) over the
  /// contiguous columns of an m × n matrix, m ≥ n: on return they are orthonormal and equal
  /// the Q of the QR decomposition whose R has a positive diagonal.
  private static func orthonormalizeColumns(_ a: UnsafeMutablePointer<Double>, rows m: Int, columns n: Int) {
    for j in 0..<n {
      let v = a + j * m
      for _ in 0..<2 {
        for k in 0..<j {
          let q = a + k * m
          axpy(-dot(q, v, count: m), q, v, count: m)
        }
      }
      // NOTE: a zero norm needs linearly dependent normal draws, which have probability 0.
      let norm = dot(v, v, count: m).squareRoot()
      let inverse = 1 / norm
      for i in 0..<m { v[i] *= inverse }
    }
  }

  private static func dot(_ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) -> Double {
    var sum = SIMD8<Double>(repeating: 0)
    var i = 0
    while i + 8 <= count {
      sum += UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
        * UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Double>.self)
      i += 8
    }
    var total = sum.sum()
    while i < count { total += x[i] * y[i]; i += 1 }
    return total
  }

  /// y ← y + α·x.
  private static func axpy(_ alpha: Double, _ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>,
                           count: Int) {
    var i = 0
    while i + 8 <= count {
      let updated = UnsafeRawPointer(y + i).loadUnaligned(as: SIMD8<Double>.self)
        + alpha * UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
      UnsafeMutableRawPointer(y + i).storeBytes(of: updated, as: SIMD8<Double>.self)
      i += 8
    }
    while i < count { y[i] += alpha * x[i]; i += 1 }
  }
}
