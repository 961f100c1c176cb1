/// Indexing kernels: gathering by int32 indices and its adjoint, scatter-add.
///
/// Indices are checked; an index outside its axis is reported, never read out of bounds.
public enum Gather {
  /// out[n, :] = table[indices[n], :] for a [rows, width] table.
  public static func rows(_ table: UnsafePointer<Float>, rows: Int, width: Int, indices: UnsafePointer<Int32>, count: Int,
                          into out: UnsafeMutablePointer<Float>) throws(CoreError) {
    for n in 0..<count {
      let row = Int(indices[n])
      guard row >= 0, row < rows else { throw .indexOutOfRange(op: "gather", index: row, extent: rows) }
      (out + n * width).update(from: table + row * width, count: width)
    }
  }

  /// out[n] = x[n, indices[n]] for x viewed as [count, width].
  public static func lastAxis(_ x: UnsafePointer<Float>, width: Int, indices: UnsafePointer<Int32>, count: Int,
                              into out: UnsafeMutablePointer<Float>) throws(CoreError) {
    for n in 0..<count {
      let column = Int(indices[n])
      guard column >= 0, column < width else { throw .indexOutOfRange(op: "gather", index: column, extent: width) }
      out[n] = x[n * width + column]
    }
  }

  /// table = 0; table[indices[n], :] += source[n, :]  (the adjoint of `rows`).
  public static func scatterAddRows(_ source: UnsafePointer<Float>, rows: Int, width: Int, indices: UnsafePointer<Int32>,
                                    count: Int, into table: UnsafeMutablePointer<Float>) throws(CoreError) {
    table.update(repeating: 0, count: rows * width)
    for n in 0..<count {
      let row = Int(indices[n])
      guard row >= 0, row < rows else { throw .indexOutOfRange(op: "scatter_add", index: row, extent: rows) }
      let destination = table + row * width, values = source + n * width
      for d in 0..<width { destination[d] += values[d] }
    }
  }

  /// x = 0; x[n, indices[n]] += source[n]  (the adjoint of `lastAxis`).
  public static func scatterAddLastAxis(_ source: UnsafePointer<Float>, width: Int, indices: UnsafePointer<Int32>,
                                        count: Int, into x: UnsafeMutablePointer<Float>) throws(CoreError) {
    x.update(repeating: 0, count: count * width)
    for n in 0..<count {
      let column = Int(indices[n])
      guard column >= 0, column < width else { throw .indexOutOfRange(op: "scatter_add", index: column, extent: width) }
      x[n * width + column] += source[n]
    }
  }
}
