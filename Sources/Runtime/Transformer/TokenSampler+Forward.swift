import Core

extension TokenSampler {
  /// Runs slots `start..<start+count` of the first `rows` rows through the network, writing
  /// their keys and values into the cache and the logits of each row's last slot into
  /// `buffers.logits`. Token m = row·count + i of the block is slot start + i of its row.
  ///
  /// Rows are independent, so the rows are cut into one contiguous part per core and each
  /// part runs the whole network on its own thread (its products single-threaded) with no
  /// synchronization until the end; `sgemm`'s bits do not depend on the rows it is given, so
  /// neither do the logits. `then` runs on each part's rows after its logits are ready.
  func advance(_ w: SamplerWeights, rows: Int, from start: Int, count: Int, then: (Range<Int>) -> Void) {
    let work = rows * count * buffers.width * buffers.width
    let parts = work >= 65_536 ? Swift.min(Parallel.coreCount, rows) : 1
    let perPart = (rows + parts - 1) / parts
    Parallel.forEach(parts) { part in
      let range = (part * perPart)..<Swift.min(rows, (part + 1) * perPart)
      guard !range.isEmpty else { return }
      advance(w, rows: range, from: start, count: count)
      then(range)
    }
  }

  /// One part's rows through the network, feature-major (see `SamplerBuffers`): the part's
  /// n = rows.count·count tokens are the columns of [features, n] matrices.
  private func advance(_ w: SamplerWeights, rows: Range<Int>, from start: Int, count: Int) {
    let b = buffers
    let d = b.width
    let first = rows.lowerBound * count
    var n = rows.count * count
    var (residual, mixed) = (b.residual + first * d, b.mixed + first * d)
    let (normed, qkv) = (b.normed + first * d, b.qkv + first * 3 * d)
    let (hidden, statistics) = (b.hidden + first * 4 * d, b.statistics + 2 * first)
    for (r, row) in rows.enumerated() {
      for i in 0..<count {
        let slot = start + i, column = r * count + i
        let token = Int(b.sequence[row * b.slots + slot]), position = Swift.max(0, slot - b.pads[row])
        let embedding = w.tokens + token * d, place = w.positions + position * d
        for k in 0..<d { residual[k * n + column] = embedding[k] + place[k] }
      }
    }
    let last = b.last + rows.lowerBound * d
    for (l, layer) in w.layers.enumerated() {
      SamplerKernels.layerNorm(residual, gain: layer.norm1Gain, bias: layer.norm1Bias, into: normed, features: d, tokens: n,
                               statistics: statistics)
      SamplerKernels.linear(layer.qkvWeight, layer.qkvBias, normed, into: qkv, fanIn: d, fanOut: 3 * d, tokens: n, accumulate: false)
      // Attention works per token: Q, K, V token-major [n, 3d] in `hidden` (free until fc),
      // its output token-major [n, d] in `mixed`.
      SamplerKernels.transpose(qkv, rows: 3 * d, columns: n, into: hidden)
      attend(layer: l, rows: rows, from: start, count: count)
      if l == w.layers.count - 1, count > 1 {
        // NOTE: past the last layer's keys and values only each row's last token is read, so
        // the rest of the block goes on with those tokens alone.
        for r in 0..<rows.count { (hidden + r * d).update(from: mixed + (r * count + count - 1) * d, count: d) }
        SamplerKernels.gatherColumns(residual, tokens: n, every: count, features: d, into: last)
        (residual, mixed, n) = (last, hidden, rows.count)
      }
      SamplerKernels.linear(layer.projectionWeight, layer.projectionBias, mixed, into: residual, fanIn: d, fanOut: d, tokens: n,
                            accumulate: true, tokenMajorInput: true)
      SamplerKernels.layerNorm(residual, gain: layer.norm2Gain, bias: layer.norm2Bias, into: normed, features: d, tokens: n,
                               statistics: statistics)
      SamplerKernels.linear(layer.expandWeight, layer.expandBias, normed, into: hidden, fanIn: d, fanOut: 4 * d, tokens: n,
                            accumulate: false)
      Elementwise.apply(.gelu, hidden, hidden, count: n * 4 * d)
      SamplerKernels.linear(layer.contractWeight, layer.contractBias, hidden, into: residual, fanIn: 4 * d, fanOut: d, tokens: n,
                            accumulate: true)
    }
    // The last slot of each row: [d, rows.count], normed, then logitsᵀ = tok_emb · lastᵀ.
    let (m, partLogits) = (rows.count, b.partLogits + rows.lowerBound * b.vocabulary)
    if residual != last { last.update(from: residual, count: d * m) }  // one token per row: n = m
    SamplerKernels.layerNorm(last, gain: w.finalGain, bias: w.finalBias, into: last, features: d, tokens: m, statistics: statistics)
    Matmul.sgemm(transposeA: false, transposeB: false, m: b.vocabulary, n: m, k: d, a: w.tokens, lda: d, b: last, ldb: m,
                 c: partLogits, ldc: m, accumulate: false)
    for (r, row) in rows.enumerated() {
      for v in 0..<b.vocabulary { b.logits[row * b.vocabulary + v] = partLogits[v * m + r] }
    }
  }

  /// Stores the block's keys and values in layer `layer`'s cache, then for every token and
  /// head: softmax over the row's visible slots (pad…slot) of q·k/√dₕ, times the values.
  /// Reads Q, K, V token-major from `hidden`, writes the output token-major to `mixed`.
  private func attend(layer: Int, rows: Range<Int>, from start: Int, count: Int) {
    let b = buffers
    let (d, heads, hd, slots, keyStride) = (b.width, b.heads, b.headWidth, b.slots, b.keyStride)
    let (keys, values) = (b.keys[layer], b.values[layer])
    let first = rows.lowerBound * count
    let (qkv, mixed) = (b.hidden + first * 4 * d, b.mixed + first * d)  // token-major [n, 3d] and [n, d]
    let scale = 1 / Float(hd).squareRoot()
    for (r, row) in rows.enumerated() {
      let pad = b.pads[row]
      let weights = b.scores + row * keyStride
      for i in 0..<count {
        let (column, slot) = (r * count + i, start + i)
        for h in 0..<heads {
          let block = keys + (row * heads + h) * hd * keyStride + slot / 16 * hd * 16 + slot % 16
          let key = qkv + column * 3 * d + d + h * hd
          for k in 0..<hd { block[k * 16] = key[k] }
          (values + ((row * heads + h) * slots + slot) * hd).update(from: qkv + column * 3 * d + 2 * d + h * hd, count: hd)
        }
      }
      for i in 0..<count {
        let (column, slot) = (r * count + i, start + i)
        for h in 0..<heads {
          let output = mixed + column * d + h * hd
          guard slot >= pad else {
            output.update(repeating: 0, count: hd)  // a padding query sees nothing; never read
            continue
          }
          let query = qkv + column * 3 * d + h * hd
          let headKeys = keys + (row * heads + h) * hd * keyStride, headValues = values + (row * heads + h) * slots * hd
          let visible = slot - pad + 1
          // NOTE: whole blocks of 16 slots from the one holding `pad`; scores outside pad…slot are never read.
          SamplerKernels.scores(query: query, scale: scale, keys: headKeys, width: hd, blocks: (pad / 16)...(slot / 16),
                                into: weights)
          let scores = weights + pad
          let maximum = SamplerKernels.maximum(scores, count: visible)
          for j in 0..<visible { scores[j] -= maximum }
          Elementwise.apply(.exp, scores, scores, count: visible)
          let inverse = 1 / SamplerKernels.sum(scores, count: visible)
          SamplerKernels.mix(scores, scale: inverse, values: headValues + pad * hd, width: hd, count: visible, into: output)
        }
      }
    }
  }
}
