import Core

/// The sampler's working memory, allocated once: activations for a block of tokens, the KV
/// cache of every layer, transposed weights, and the tokens of the rows being sampled.
///
/// Activations are feature-major: the rows of a block are cut into parts (one per core),
/// and a part whose tokens start at block token `first` keeps a buffer of F features as an
/// [F, tokens] matrix at `buffer + first·F`. Products are then W_ᵀ·X with the transposed
/// weight read in place, so no weight is copied per step.
final class SamplerBuffers {
  /// Sequence slots per row: the longest prompt plus the longest response.
  let slots: Int
  /// Most tokens one forward block processes (every row's whole prompt).
  let blockTokens: Int
  let rows: Int, width: Int, heads: Int, headWidth: Int, vocabulary: Int
  /// Residual stream, normed copy: d features per token; attention output: d per token,
  /// token-major.
  let residual, normed, mixed: UnsafeMutablePointer<Float>
  /// Q, K, V of the block: 3d features. MLP hidden layer: 4d features (before that, Q, K, V
  /// token-major for the attention).
  let qkv, hidden: UnsafeMutablePointer<Float>
  /// LayerNorm means and inverse deviations: [2, blockTokens].
  let statistics: UnsafeMutablePointer<Float>
  /// `slots` rounded up to whole blocks of 16, so the scores of a query are computed in
  /// whole 16-lane vectors.
  let keyStride: Int
  /// Per layer, keys as [rows, heads, keyStride / 16, headWidth, 16] (blocks of 16 slots,
  /// transposed inside) and values as [rows, heads, slots, headWidth].
  let keys, values: [UnsafeMutablePointer<Float>]
  /// Attention weights of one query, per row: [rows, keyStride].
  let scores: UnsafeMutablePointer<Float>
  /// Each row's final normed state (feature-major per part, like the activations, with
  /// rows for tokens), the logits per part as [V, rows], and the logits per row [rows, V].
  let last, partLogits, logits: UnsafeMutablePointer<Float>
  /// Per layer, the transposed weights [fanOut, fanIn] of qkv, proj, fc and out.
  let transposed: [(qkv: UnsafeMutablePointer<Float>, projection: UnsafeMutablePointer<Float>,
                    expand: UnsafeMutablePointer<Float>, contract: UnsafeMutablePointer<Float>)]
  /// Per row, the sampling weights after temperature and filtering (unnormalized), and the
  /// token order used by the filters: [rows, V] each.
  let filtered: UnsafeMutablePointer<Float>
  let order: UnsafeMutablePointer<Int>
  /// Per row, the greedy choice, or −1 when a logit was not finite.
  let chosen: UnsafeMutablePointer<Int32>
  /// Token ids per row and slot, and each row's left padding.
  let sequence: UnsafeMutablePointer<Int32>
  let pads: UnsafeMutablePointer<Int>
  private var floatBuffers: [UnsafeMutablePointer<Float>] = []

  init(_ c: TransformerConfiguration, rows: Int, maxPromptLength: Int, maxNewTokens: Int) {
    self.rows = rows
    width = c.width
    heads = c.heads
    headWidth = c.headWidth
    vocabulary = c.vocabulary
    slots = maxPromptLength + maxNewTokens
    blockTokens = rows * maxPromptLength
    keyStride = (slots + 15) / 16 * 16
    var made: [UnsafeMutablePointer<Float>] = []
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let pointer = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(count, 1))
      pointer.initialize(repeating: 0, count: Swift.max(count, 1))
      made.append(pointer)
      return pointer
    }
    let d = c.width
    residual = buffer(blockTokens * d)
    normed = buffer(blockTokens * d)
    mixed = buffer(blockTokens * d)
    qkv = buffer(blockTokens * 3 * d)
    hidden = buffer(blockTokens * 4 * d)
    statistics = buffer(2 * blockTokens)
    let (keyStride, slots) = (keyStride, slots)
    keys = (0..<c.layers).map { _ in buffer(rows * keyStride * d) }
    values = (0..<c.layers).map { _ in buffer(rows * slots * d) }
    scores = buffer(rows * keyStride)
    last = buffer(rows * d)
    partLogits = buffer(rows * c.vocabulary)
    logits = buffer(rows * c.vocabulary)
    transposed = (0..<c.layers).map { _ in (buffer(3 * d * d), buffer(d * d), buffer(4 * d * d), buffer(4 * d * d)) }
    filtered = buffer(rows * c.vocabulary)
    order = .allocate(capacity: rows * c.vocabulary)
    order.initialize(repeating: 0, count: rows * c.vocabulary)
    chosen = .allocate(capacity: rows)
    chosen.initialize(repeating: 0, count: rows)
    sequence = .allocate(capacity: rows * slots)
    sequence.initialize(repeating: 0, count: rows * slots)
    pads = .allocate(capacity: rows)
    pads.initialize(repeating: 0, count: rows)
    floatBuffers = made
  }

  deinit {
    for pointer in floatBuffers { pointer.deallocate() }
    order.deallocate()
    chosen.deallocate()
    sequence.deallocate()
    pads.deallocate()
  }
}

/// Pointers to the weights a sampling pass reads: the parameters' own vectors and
/// embeddings (valid while the parameters live) and the buffers' transposed matrices.
struct SamplerWeights {
  struct Layer {
    let norm1Gain, norm1Bias, qkvWeight, qkvBias, projectionWeight, projectionBias: UnsafePointer<Float>
    let norm2Gain, norm2Bias, expandWeight, expandBias, contractWeight, contractBias: UnsafePointer<Float>
  }
  let tokens, positions, finalGain, finalBias: UnsafePointer<Float>
  /// Weights here are transposed, [fanOut, fanIn].
  let layers: [Layer]

  /// Transposes the parameters' matrices into `buffers` (one matrix per chunk, over the
  /// cores) and points at them.
  init(_ parameters: TransformerParameters, buffers b: SamplerBuffers) {
    let t = parameters.tensors, d = b.width
    let layerCount = parameters.configuration.layers
    Parallel.forEach(4 * layerCount) { chunk in
      let (l, kind) = (chunk / 4, chunk % 4)
      let p = 2 + 12 * l
      let (source, target, fanIn, fanOut) = switch kind {
      case 0: (t[p + 2].floats, b.transposed[l].qkv, d, 3 * d)
      case 1: (t[p + 4].floats, b.transposed[l].projection, d, d)
      case 2: (t[p + 8].floats, b.transposed[l].expand, d, 4 * d)
      default: (t[p + 10].floats, b.transposed[l].contract, 4 * d, d)
      }
      SamplerKernels.transpose(source, rows: fanIn, columns: fanOut, into: target)
    }
    tokens = t[0].floats
    positions = t[1].floats
    layers = (0..<layerCount).map { l in
      let p = 2 + 12 * l
      return Layer(norm1Gain: t[p].floats, norm1Bias: t[p + 1].floats, qkvWeight: b.transposed[l].qkv, qkvBias: t[p + 3].floats,
                   projectionWeight: b.transposed[l].projection, projectionBias: t[p + 5].floats, norm2Gain: t[p + 6].floats,
                   norm2Bias: t[p + 7].floats, expandWeight: b.transposed[l].expand, expandBias: t[p + 9].floats,
                   contractWeight: b.transposed[l].contract, contractBias: t[p + 11].floats)
    }
    let f = 2 + 12 * layerCount
    finalGain = t[f].floats
    finalBias = t[f + 1].floats
  }
}
