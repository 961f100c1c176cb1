import Core
import Foundation

extension TokenSampler {
  /// The next token of `row` from its logits under `settings` (see `Settings`).
  ///
  /// Greedy takes no draw; otherwise one `Philox.categorical(logits:)` draw (two words) over
  /// the tempered logits with the filtered tokens set to −∞.
  func choose(row: Int, settings: Settings, rng: inout Philox) throws(RuntimeError) -> Int32 {
    let b = buffers
    let vocabulary = b.vocabulary
    let logits = b.logits + row * vocabulary
    for v in 0..<vocabulary where !logits[v].isFinite {
      throw .core(.invalidArgument(op: "sample", reason: "row \(row): logit \(v) is \(logits[v])"))
    }
    if settings.greedy {
      var best = 0
      for v in 1..<vocabulary where logits[v] > logits[best] { best = v }
      return Int32(best)
    }
    let z = b.filtered
    for v in 0..<vocabulary { z[v] = logits[v] / settings.temperature }
    if settings.topK > 0, settings.topK < vocabulary {
      // Tokens below the k-th largest logit go; ties with it stay (TopKLogitsWarper).
      sortAscending(z, count: vocabulary)
      let threshold = z[b.order[vocabulary - settings.topK]]
      for v in 0..<vocabulary where z[v] < threshold { z[v] = -.infinity }
    }
    if settings.topP < 1 {
      // Ascending order: drop tokens while the cumulative probability stays ≤ 1 − p, keeping
      // the most likely one always (TopPLogitsWarper with min_tokens_to_keep = 1).
      sortAscending(z, count: vocabulary)
      let maximum = Double(z[b.order[vocabulary - 1]])
      var total = 0.0
      for v in 0..<vocabulary { total += Foundation.exp(Double(z[v]) - maximum) }
      var cumulative = 0.0
      let limit = 1 - Double(settings.topP)
      for rank in 0..<(vocabulary - 1) {
        let v = b.order[rank]
        cumulative += Foundation.exp(Double(z[v]) - maximum) / total
        if cumulative <= limit { z[v] = -.infinity } else { break }
      }
    }
    do {
      return Int32(try rng.categorical(logits: UnsafeBufferPointer(start: z, count: vocabulary)))
    } catch {
      throw .core(error)
    }
  }

  /// `buffers.order` ← the token ids sorted by ascending z (ties by id), by insertion sort.
  private func sortAscending(_ z: UnsafePointer<Float>, count: Int) {
    let order = buffers.order
    for v in 0..<count {
      var k = v
      while k > 0, z[order[k - 1]] > z[v] {
        order[k] = order[k - 1]
        k -= 1
      }
      order[k] = v
    }
  }
}
