import Core

/// The sampler's working memory, allocated once: activations for a block of tokens, the KV
/// cache of every layer, and the tokens of the rows being sampled.
final class SamplerBuffers {
  /// Sequence slots per row: the longest prompt plus the longest response.
  let slots: Int
  /// Most tokens one forward block processes (every row's whole prompt).
  let blockTokens: Int
  let rows: Int, width: Int, heads: Int, headWidth: Int, vocabulary: Int
  /// Residual stream, normed copy, attention output: [blockTokens, d].
  let residual, normed, mixed: UnsafeMutablePointer<Float>
  /// Q, K, V of the block: [blockTokens, 3d]. MLP hidden layer: [blockTokens, 4d].
  let qkv, hidden: UnsafeMutablePointer<Float>
  /// Per layer, keys and values as [rows, heads, slots, headWidth].
  let keys, values: [UnsafeMutablePointer<Float>]
  /// Attention weights of one query, per row: [rows, slots].
  let scores: UnsafeMutablePointer<Float>
  /// The final normed state and the logits of each row's last token: [rows, d], [rows, V].
  let last, logits: UnsafeMutablePointer<Float>
  /// Filtering scratch: [V] floats and [V] indices.
  let filtered: UnsafeMutablePointer<Float>
  let order: UnsafeMutablePointer<Int>
  /// Token ids per row and slot, and each row's left padding.
  let sequence: UnsafeMutablePointer<Int32>
  let pads: UnsafeMutablePointer<Int>

  init(_ c: TransformerConfiguration, rows: Int, maxPromptLength: Int, maxNewTokens: Int) {
    self.rows = rows
    width = c.width
    heads = c.heads
    headWidth = c.headWidth
    vocabulary = c.vocabulary
    slots = maxPromptLength + maxNewTokens
    blockTokens = rows * maxPromptLength
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let pointer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
      pointer.initialize(repeating: 0, count: Swift.max(count, 1))
      return pointer
    }
    residual = buffer(blockTokens * c.width)
    normed = buffer(blockTokens * c.width)
    mixed = buffer(blockTokens * c.width)
    qkv = buffer(blockTokens * 3 * c.width)
    hidden = buffer(blockTokens * 4 * c.width)
    let cache = rows * slots * c.width
    keys = (0..<c.layers).map { _ in buffer(cache) }
    values = (0..<c.layers).map { _ in buffer(cache) }
    scores = buffer(rows * slots)
    last = buffer(rows * c.width)
    logits = buffer(rows * c.vocabulary)
    filtered = buffer(c.vocabulary)
    order = .allocate(capacity: c.vocabulary)
    order.initialize(repeating: 0, count: c.vocabulary)
    sequence = .allocate(capacity: rows * slots)
    sequence.initialize(repeating: 0, count: rows * slots)
    pads = .allocate(capacity: rows)
    pads.initialize(repeating: 0, count: rows)
  }

  deinit {
    for pointer in [residual, normed, mixed, qkv, hidden, scores, last, logits, filtered] + keys + values {
      pointer.deallocate()
    }
    order.deallocate()
    sequence.deallocate()
    pads.deallocate()
  }
}

/// Pointers into a `TransformerParameters`' tensors, valid while the parameters live.
struct SamplerWeights {
  struct Layer {
    let norm1Gain, norm1Bias, qkvWeight, qkvBias, projectionWeight, projectionBias: UnsafePointer<Float>
    let norm2Gain, norm2Bias, expandWeight, expandBias, contractWeight, contractBias: UnsafePointer<Float>
  }
  let tokens, positions, finalGain, finalBias: UnsafePointer<Float>
  let layers: [Layer]

  init(_ parameters: TransformerParameters) {
    let t = parameters.tensors
    tokens = t[0].floats
    positions = t[1].floats
    layers = (0..<parameters.configuration.layers).map { l in
      let p = 2 + 12 * l
      return Layer(norm1Gain: t[p].floats, norm1Bias: t[p + 1].floats, qkvWeight: t[p + 2].floats, qkvBias: t[p + 3].floats,
                   projectionWeight: t[p + 4].floats, projectionBias: t[p + 5].floats, norm2Gain: t[p + 6].floats,
                   norm2Bias: t[p + 7].floats, expandWeight: t[p + 8].floats, expandBias: t[p + 9].floats,
                   contractWeight: t[p + 10].floats, contractBias: t[p + 11].floats)
    }
    let f = 2 + 12 * parameters.configuration.layers
    finalGain = t[f].floats
    finalBias = t[f + 1].floats
  }
}
