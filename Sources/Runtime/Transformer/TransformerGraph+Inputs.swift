import Core

extension TransformerGraph {
  /// The batch inputs of the graph for `batch` (already validated against its shape), in
  /// `batchInputNames` order.
  ///
  /// Row b has `pad = promptLength − promptLengths[b]` PAD tokens in front; token slot j gets
  /// position max(0, j − pad), and a query at slot i sees the keys at slots pad…i.
  static func batchInputs(_ batch: TokenRows) -> [Tensor] {
    let (rows, p, r) = (batch.rows, batch.promptLength, batch.responseLength)
    let (width, s) = (p + r, p + r - 1)
    var inputs = [Int32](repeating: 0, count: rows * s), positions = [Int32](repeating: 0, count: rows * s)
    var bias = [Float](repeating: maskedScore, count: rows * s * s)
    var targets = [Int32](repeating: 0, count: rows * r), mask = [Float](repeating: 0, count: rows * r)
    for row in 0..<rows {
      let pad = p - batch.promptLengths[row]
      for j in 0..<s {
        inputs[row * s + j] = batch.tokens[row * width + j]
        positions[row * s + j] = Int32(Swift.max(0, j - pad))
      }
      for i in pad..<s {
        for j in pad...i { bias[(row * s + i) * s + j] = 0 }
      }
      for t in 0..<r {
        targets[row * r + t] = batch.tokens[row * width + p + t]
        mask[row * r + t] = t < batch.responseLengths[row] ? 1 : 0
      }
    }
    return [Tensor(shape: [rows, s], indices: inputs), Tensor(shape: [rows, s], indices: positions),
            Tensor(shape: [rows, 1, s, s], scalars: bias), Tensor(shape: [rows, r], indices: targets),
            Tensor(shape: [rows, r], scalars: mask)]
  }

  /// `batchInputs` by name, for graphs that bind inputs by name (the reference interpreter).
  public static func namedBatchInputs(_ batch: TokenRows) -> [String: Tensor] {
    Dictionary(uniqueKeysWithValues: zip(batchInputNames, batchInputs(batch)))
  }
}
