extension Tensor {
  /// The matrix product over the last two axes, batched over the axes before them.
  ///
  ///     result[..., i, j] = Σ_p op(self)[..., i, p] · op(other)[..., p, j]
  ///
  /// `op` transposes the last two axes when its flag is set. Shapes `[..., m, k]` and
  /// `[..., k, n]` give `[..., m, n]`; the leading axes must be equal, or one side may be a
  /// plain matrix (rank 2) that is used for every batch entry of the other.
  ///
  /// - Parameters:
  ///   - other: The right factor, rank ≥ 2.
  ///   - transposeSelf: Use `selfᵀ` (swap its last two axes) as the left factor.
  ///   - transposeOther: Use `otherᵀ` as the right factor.
  /// - Throws: `CoreError.shapeMismatch` (op `matmul`) naming both shapes when the inner
  ///   extents or the batch axes do not agree, or a rank is below 2;
  ///   `CoreError.dtypeMismatch` for an int32 operand.
  public func matmul(_ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false) throws(CoreError) -> Tensor {
    if dtype != .float32 { throw .dtypeMismatch(op: "matmul", expected: .float32, got: dtype) }
    if other.dtype != .float32 { throw .dtypeMismatch(op: "matmul", expected: .float32, got: other.dtype) }
    func mismatch(_ reason: String) -> CoreError {
      .shapeMismatch(op: "matmul", shapes: [shape, other.shape], reason: reason)
    }
    guard rank >= 2, other.rank >= 2 else { throw mismatch("both operands need rank 2 or more") }
    let (rows, columns) = (shape[rank - 2], shape[rank - 1])
    let (otherRows, otherColumns) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
    let (m, k) = transposeSelf ? (columns, rows) : (rows, columns)
    let (otherK, n) = transposeOther ? (otherColumns, otherRows) : (otherRows, otherColumns)
    guard k == otherK else {
      let flags = [transposeSelf ? "self" : nil, transposeOther ? "other" : nil].compactMap { $0 }
      let note = flags.isEmpty ? "" : " (\(flags.joined(separator: " and ")) transposed)"
      throw mismatch("inner dimensions \(k) and \(otherK) differ\(note)")
    }
    let batchDims = Array(shape.dims.dropLast(2))
    let otherBatchDims = Array(other.shape.dims.dropLast(2))
    guard batchDims == otherBatchDims || batchDims.isEmpty || otherBatchDims.isEmpty else {
      throw mismatch("batch dimensions \(Shape(batchDims)) and \(Shape(otherBatchDims)) differ")
    }
    let resultBatch = batchDims.isEmpty ? otherBatchDims : batchDims
    var result = Tensor(zeros: Shape(resultBatch + [m, n]))
    Matmul.batched(
      batch: Shape(resultBatch).count, transposeA: transposeSelf, transposeB: transposeOther, m: m, n: n, k: k,
      a: floats, strideA: batchDims.isEmpty ? 0 : rows * columns, lda: columns,
      b: other.floats, strideB: otherBatchDims.isEmpty ? 0 : otherRows * otherColumns, ldb: otherColumns,
      c: result.mutableFloats(), strideC: m * n, ldc: n, accumulate: false)
    return result
  }
}
