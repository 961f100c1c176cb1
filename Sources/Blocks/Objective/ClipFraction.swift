import Graph

/// The share of a clipping rule's decisions that clipped, a stop-gradient scalar (the
/// rule's `terms.clip_frac_*` outputs). A token ratio decides once per real token; a ratio
/// with one value per response (`ratio: sequence`, `sequence_token`, `product`) decides once
/// per response, so each response counts once, whatever its length:
///
///     token ratio:     Σ_{i,t} c[i,t] / Σ_{i,t} mask
///     sequence ratio:  Σ_i c_i / (non-empty rows)
///
/// with c the 0/1 indicator of a clipped decision. A micro-batch divides by its minibatch's
/// counts (`PolicyBatch.globalCounts`), as the aggregation does, so micro-batch shares add up.
///
/// - Matches: verl 0.9.1 `compute_policy_loss_vanilla`'s `pg_clipfrac` (a masked token mean;
///   it equals `clip_frac_low + clip_frac_high`). verl's `compute_policy_loss_gspo` takes the
///   same token mean of its broadcast sequence ratio, which weights a response by its length;
///   here a sequence ratio's share is over responses.
enum ClipFraction {
  /// The share of `clipped` (`[N, T]`, 0/1) over the decisions the ratio of `input` makes.
  static func share(_ clipped: Value, of input: PolicyLossInput, batch: PolicyBatch) -> Value {
    let g = batch.graph
    let counts = batch.globalCounts
    guard input.ratioIsPerSequence else {
      return stopGradient(g.masked(clipped).sum() / max(counts?.tokens ?? batch.mask.sum(), 1))
    }
    // The ratio is one value on every token of a row, so its indicator is too: the row's
    // token mean is 1 for a clipped response and 0 otherwise (and for an empty row).
    let responses = max(counts?.sequences ?? (g.lengths .> 0).sum(), 1)
    return stopGradient(g.tokenMean(clipped).sum() / responses)
  }

  /// `terms` for each named indicator, as `PolicyLoss.clipFractions` returns them.
  static func terms(_ indicators: [(String, Value)], of input: PolicyLossInput, batch: PolicyBatch) -> [(name: String, value: Value)] {
    indicators.map { (name: $0.0, value: share($0.1, of: input, batch: batch)) }
  }
}
