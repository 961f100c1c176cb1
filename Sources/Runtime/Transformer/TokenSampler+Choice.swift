import Core

extension TokenSampler {
  /// Turns row `row`'s logits into what `choose` needs under `settings` (see `Settings`):
  /// the argmax for greedy, else weights ∝ exp(z / T) with the filtered tokens at 0.
  /// Runs on the row's worker thread; draws nothing.
  func prepareChoice(row: Int, settings: Settings) {
    let b = buffers
    let vocabulary = b.vocabulary
    let logits = b.logits + row * vocabulary, z = b.filtered + row * vocabulary, order = b.order + row * vocabulary
    var best = 0
    for v in 0..<vocabulary {
      guard logits[v].isFinite else {
        b.chosen[row] = -1
        return
      }
      if logits[v] > logits[best] { best = v }
    }
    b.chosen[row] = Int32(best)
    if settings.greedy { return }
    let inverseTemperature = 1 / settings.temperature
    for v in 0..<vocabulary { z[v] = (logits[v] - logits[best]) * inverseTemperature }
    if settings.topK > 0, settings.topK < vocabulary {
      // Tokens below the k-th largest logit go; ties with it stay (TopKLogitsWarper).
      Self.sortAscending(z, count: vocabulary, into: order)
      let threshold = z[order[vocabulary - settings.topK]]
      for v in 0..<vocabulary where z[v] < threshold { z[v] = -.infinity }
    }
    Elementwise.apply(.exp, z, z, count: vocabulary)
    if settings.topP < 1 {
      // Ascending order: drop tokens while the cumulative probability stays ≤ 1 − p, keeping
      // the most likely one always (TopPLogitsWarper with min_tokens_to_keep = 1).
      Self.sortAscending(z, count: vocabulary, into: order)
      var total = 0.0
      for v in 0..<vocabulary { total += Double(z[v]) }
      let limit = (1 - Double(settings.topP)) * total
      var cumulative = 0.0
      for rank in 0..<(vocabulary - 1) {
        let v = order[rank]
        cumulative += Double(z[v])
        if cumulative <= limit { z[v] = 0 } else { break }
      }
    }
  }

  /// The next token of `row`: the prepared argmax when greedy (no draw), else one
  /// `Philox.categorical(probabilities:)` draw (two words) over the prepared weights.
  func choose(row: Int, greedy: Bool, rng: inout Philox) throws(RuntimeError) -> Int32 {
    let b = buffers
    guard b.chosen[row] >= 0 else {
      throw .core(.invalidArgument(op: "sample", reason: "row \(row): the logits are not finite"))
    }
    if greedy { return b.chosen[row] }
    do {
      return Int32(try rng.categorical(probabilities: UnsafeBufferPointer(start: b.filtered + row * b.vocabulary, count: b.vocabulary)))
    } catch {
      throw .core(error)
    }
  }

  /// `order` ← the token ids sorted by ascending z (ties by id), in place (no allocation).
  static func sortAscending(_ z: UnsafePointer<Float>, count: Int, into order: UnsafeMutablePointer<Int>) {
    for v in 0..<count { order[v] = v }
    var ids = UnsafeMutableBufferPointer(start: order, count: count)
    ids.sort { a, b in z[a] < z[b] || (z[a] == z[b] && a < b) }
  }
}
