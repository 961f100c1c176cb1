import Core
import Graph

/// The graph builder's value handle (named apart from `ExprLowering.Value`).
public typealias GraphValue = Value

/// A graph under construction over one batch of N sequences × T tokens (see `RowLayout`),
/// with the mask-aware reductions that expressions and blocks share.
///
/// Per-sequence values are `[N]`, per-token values `[N, T]`; the mask is an `[N, T]` 0/1
/// input. Every token reduction reads only real tokens through `select`, never `x·mask`,
/// so garbage (NaN, ±inf) at masked positions cannot leak into a result or a gradient.
public final class BatchGraph {
  public let builder: GraphBuilder
  public let layout: RowLayout
  /// `[N, T]`, 1 on real tokens.
  public let mask: Value
  private var cache: [String: Value] = [:]

  public init(builder: GraphBuilder, layout: RowLayout, mask: Value) {
    self.builder = builder
    self.layout = layout
    self.mask = mask
  }

  /// A constant made once per graph.
  public func shared(_ key: String, _ make: () -> Tensor) -> Value {
    if let value = cache[key] { return value }
    let value = builder.constant(make(), label: key)
    cache[key] = value
    return value
  }

  // MARK: - Tokens

  /// x where the mask is 1, else 0 (a select: masked garbage never reaches the result).
  public func masked(_ x: Value) -> Value {
    select(mask, toTokens(x), builder.scalar(0))
  }

  /// `[N]` → `[N, T]` (each row's value on all its tokens); `[N, T]` and scalars pass through.
  public func toTokens(_ x: Value) -> Value {
    guard x.rank == 1 else { return x }
    return x.reshaped(to: [layout.rows, 1]).broadcast(to: [layout.rows, layout.tokens])
  }

  /// Real tokens per row, `[N]`.
  public var lengths: Value { mask.sum(axis: 1) }

  /// Σ over real tokens of each row, `[N]`.
  public func tokenSum(_ x: Value) -> Value { masked(x).sum(axis: 1) }

  /// Mean over real tokens of each row, `[N]`; 0 for a row with none.
  public func tokenMean(_ x: Value) -> Value { tokenSum(x) / max(lengths, 1) }

  /// Unbiased std over real tokens of each row, `[N]`; 0 with fewer than two.
  public func tokenStd(_ x: Value) -> Value {
    let centered = masked(toTokens(x) - toTokens(tokenMean(x)))
    return sqrt(square(centered).sum(axis: 1) / max(lengths - 1, 1))
  }

  /// Max over real tokens of each row, `[N]`; 0 for a row with none.
  public func tokenMax(_ x: Value) -> Value {
    let lowest = builder.scalar(-Float.greatestFiniteMagnitude)
    return select(lengths .> 0, select(mask, toTokens(x), lowest).max(axis: 1), builder.scalar(0))
  }

  /// `[N, T]`: 1 on each row's last real token (where an outcome reward is placed).
  public var lastToken: Value {
    let remaining = linearScan(mask, decay: builder.full(1, mask.shape), axis: 1, reverse: true)
    return select(mask, remaining .== 1, builder.scalar(0))
  }

  /// x[:, t + 1], 0 past the end: the next position's value along tokens.
  public func shiftedLeft(_ x: Value) -> Value { shifted(x, by: 1) }

  /// x[:, t + n], 0 past the end.
  public func shifted(_ x: Value, by n: Int) -> Value {
    let t = layout.tokens
    guard n < t else { return builder.full(0, x.shape) }
    guard n > 0 else { return x }
    return concat([x.sliced(axis: 1, start: n, length: t - n), builder.full(0, [layout.rows, n])], axis: 1)
  }

  /// `(x − mean)·rsqrt(var + eps)` over all real tokens of the batch, var unbiased (verl
  /// `masked_whiten`); without `shift` the mean is added back. 0 at masked positions.
  public func whiten(_ x: Value, eps: Double, shift: Bool = true) -> Value {
    let count = mask.sum()
    // NOTE: verl's masked_mean divides by (n + 1e-8) and masked_var multiplies that biased
    // variance by n / (n − 1); both are kept so the numbers agree to the last digits.
    let mean = masked(x).sum() / (count + 1e-8)
    let centered = masked(x - mean)
    let variance = square(centered).sum() / (count + 1e-8) * (count / max(count - 1, 1))
    let scaled = centered / sqrt(variance + Float(eps))
    return masked(shift ? scaled : scaled + mean)
  }

  // MARK: - Groups and the batch

  /// A reduction across rows: over `group` (the answers to one prompt) or over `batch`
  /// (the prompts). `hasGroupAxis`/`hasBatchAxis` say whether x still varies along the
  /// other row axis, which decides which rows are the reduction's elements.
  public func rowReduce(_ reduction: TypedExpr.Reduction, _ x: Value, over axis: Axis,
                        hasBatchAxis: Bool, hasGroupAxis: Bool) -> Value {
    let (segments, weights, counts) = rowReductionSets(over: axis, hasBatchAxis: hasBatchAxis, hasGroupAxis: hasGroupAxis)
    // Row vectors meet x at its rank: [N] stays, or becomes [N, T] for per-token x.
    func fit(_ v: Value) -> Value { x.rank == 2 ? toTokens(v) : v }
    func weightedSum(_ v: Value) -> Value { segmentSum(weights.map { fit($0) * v } ?? v, over: segments) }
    switch reduction {
    case .sum: return weightedSum(x)
    case .mean: return weightedSum(x) / fit(counts)
    case .std:
      let deviation = square(x - weightedSum(x) / fit(counts))
      return sqrt(weightedSum(deviation) / fit(max(counts - 1, 1)))
    case .max: return segmentMax(x, over: segments)
    case .min: return -segmentMax(-x, over: segments)
    }
  }

  /// Σ over the rows of each row's segment, at every row, for x `[N]` or `[N, T]`: added
  /// into one row per segment (`scatterAdd`), then read back (`gather`) — O(N·T) memory, where
  /// a same-segment matrix product took N².
  func segmentSum(_ x: Value, over segments: RowLayout.Segments) -> Value {
    let n = layout.rows, width = x.rank == 2 ? layout.tokens : 1
    let index = segmentIndex(segments)
    let sums = x.reshaped(to: [n, width]).scatterAdd(index, mode: .rows, into: [layout.segmentCount(segments), width])
    let back = sums.gatherRows(index)
    return x.rank == 2 ? back : back.reshaped(to: [n])
  }

  /// max over the rows of each row's segment, at every row, for x `[N]` or `[N, T]`: the rows
  /// gathered into a padded `[S, P, ·]` table (P the largest segment; the padding at the
  /// lowest float), reduced over P and read back. Memory is S·P·T: N·T for equal groups.
  private func segmentMax(_ x: Value, over segments: RowLayout.Segments) -> Value {
    let n = layout.rows, width = x.rank == 2 ? layout.tokens : 1
    let (slots, size) = layout.segmentSlots(segments)
    let count = layout.segmentCount(segments)
    let table = shared("\(segments.rawValue)_slots") { Tensor(shape: [count * size], indices: slots.map { Int32(Swift.max($0, 0)) }) }
    let filled = shared("\(segments.rawValue)_filled") { Tensor(shape: [count * size, 1], scalars: slots.map { $0 >= 0 ? 1 : 0 }) }
    let spread = x.reshaped(to: [n, width]).gatherRows(table)
    let lowest = builder.scalar(-Float.greatestFiniteMagnitude)
    let maxima = select(filled, spread, lowest).reshaped(to: [count, size, width]).max(axis: 1)
    let back = maxima.gatherRows(segmentIndex(segments))
    return x.rank == 2 ? back : back.reshaped(to: [n])
  }

  /// Each row's segment as int32 indices `[N]`, made once per graph.
  private func segmentIndex(_ segments: RowLayout.Segments) -> Value {
    shared("\(segments.rawValue)_index") { Tensor(shape: [layout.rows], indices: layout.segmentIndex(segments).map(Int32.init)) }
  }

  /// Which rows each row's reduction reads, each row's weight and the element count.
  ///
  /// A value without a `group` axis is equal on its group's rows, so a reduction over
  /// `batch` weights each row by 1/groupSize to count every prompt once (and likewise for
  /// positions when `batch` was reduced first).
  private func rowReductionSets(over axis: Axis, hasBatchAxis: Bool, hasGroupAxis: Bool) -> (RowLayout.Segments, Value?, Value) {
    let l = layout
    switch (axis, axis == .group ? hasBatchAxis : hasGroupAxis) {
    case (.group, true):
      return (.groups, nil, shared("group_size") { l.vector(l.groupSizes) })
    case (.group, false):
      return (.all, shared("1/position_count") { Tensor(shape: [l.rows], scalars: l.positionCounts.map { 1 / Float($0) }) },
              builder.scalar(Float(l.positionCount)))
    case (_, true):
      return (.positions, nil, shared("position_count") { l.vector(l.positionCounts) })
    default:
      return (.all, shared("1/group_size") { Tensor(shape: [l.rows], scalars: l.groupSizes.map { 1 / Float($0) }) },
              builder.scalar(Float(l.groupCount)))
    }
  }
}
