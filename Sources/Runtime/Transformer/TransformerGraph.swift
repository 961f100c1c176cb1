import Core
import Graph

/// The transformer's forward pass on one batch shape as a graph: the response tokens'
/// log-probabilities, the entropies of the next-token distributions and, with the value
/// head, the values.
///
///     x   = tok_emb[inputs] + pos_emb[positions]                 [B, S, d], S = P + R − 1
///     per block:  x += proj(attention(LN₁(x)))                    (causal, left padding masked)
///                 x += out(gelu(fc(LN₂(x))))
///     h   = LN_f(x[:, P−1 ..< P+R−1])                             [B, R, d]
///     (the last block already works on those R positions only: its queries, residual and MLP)
///     logp[b, t]    = log softmax(h · tok_embᵀ)[targets[b, t]] · mask[b, t]
///     entropy[b, t] = −Σ_v π·log π · mask[b, t]
///     value[b, t]   = (h · value.w + value.b) · mask[b, t]
///
/// Inputs, in order: the parameters (`TransformerParameters.layout` names), then int32
/// `inputs` [B, S] (tokens 0..<S of each row), int32 `positions` [B, S], float
/// `attention_bias` [B, 1, S, S] (0 where a query may see a key, −1e9 elsewhere), int32
/// `targets` [B, R] (the response tokens) and float `mask` [B, R] (1 on real response tokens).
/// `TransformerGraph.batchInputs(_:)` makes them from `TokenRows`.
public struct TransformerGraph {
  /// Outputs: `logp`, `entropy`, then `value` with the value head (each [B, R]).
  public let graph: Graph
  public let configuration: TransformerConfiguration
  public let rows: Int, promptLength: Int, responseLength: Int

  /// Names of the batch inputs after the parameters.
  public static let batchInputNames = ["inputs", "positions", "attention_bias", "targets", "mask"]

  /// Added to the attention scores of keys a query must not see; exp of it is exactly 0 next
  /// to any visible key, and a query with no visible key (left padding) stays finite.
  static let maskedScore: Float = -1e9

  /// - Throws: `RuntimeError.invalidPolicy` for an invalid configuration or a batch shape that
  ///   does not fit the context (`promptLength + responseLength ≤ context`, both ≥ 1).
  public init(_ configuration: TransformerConfiguration, rows: Int, promptLength: Int, responseLength: Int) throws(RuntimeError) {
    try configuration.validate()
    guard rows >= 1, promptLength >= 1, responseLength >= 1 else {
      throw .invalidPolicy(reason: "a transformer program needs at least 1 row, 1 prompt token and 1 response token, got \(rows) rows × (\(promptLength) + \(responseLength))")
    }
    guard promptLength + responseLength <= configuration.context else {
      throw .invalidPolicy(reason: "prompt length \(promptLength) + response length \(responseLength) exceeds the transformer's context \(configuration.context)")
    }
    self.configuration = configuration
    self.rows = rows
    self.promptLength = promptLength
    self.responseLength = responseLength
    let g = GraphBuilder()
    let parameters = TransformerParameters.layout(of: configuration).map { g.input($0.name, $0.shape) }
    let outputs = Self.emit(configuration, parameters: parameters, builder: g, rows: rows, promptLength: promptLength,
                            responseLength: responseLength)
    do {
      graph = try g.build(outputs: [outputs.logp, outputs.entropy] + (outputs.value.map { [$0] } ?? []))
    } catch {
      throw .graph(error)
    }
  }

  /// The forward pass on `parameters` (graph values in layout order); adds the batch inputs.
  static func emit(_ c: TransformerConfiguration, parameters: [Value], builder g: GraphBuilder,
                   rows: Int, promptLength: Int, responseLength: Int) -> (logp: Value, entropy: Value, value: Value?) {
    let (b, s, r, d, heads, hd) = (rows, promptLength + responseLength - 1, responseLength, c.width, c.heads, c.headWidth)
    let inputs = g.input("inputs", [b, s], dtype: .int32), positions = g.input("positions", [b, s], dtype: .int32)
    let bias = g.input("attention_bias", [b, 1, s, s])
    let targets = g.input("targets", [b, r], dtype: .int32), mask = g.input("mask", [b, r])
    var next = 0
    func take(_ shape: Shape) -> Value {
      defer { next += 1 }
      return parameters[next].reshaped(to: shape)
    }
    func layerNorm(_ x: Value) -> Value {
      let gain = take([1, 1, d]), shift = take([1, 1, d])
      let centered = x - x.mean(axis: -1, keepingDims: true)
      let variance = square(centered).mean(axis: -1, keepingDims: true)
      return centered * reciprocal(sqrt(variance + 1e-5)) * gain + shift
    }
    func linear(_ x: Value, _ fanIn: Int, _ fanOut: Int) -> Value {
      let weight = take([fanIn, fanOut])
      return matmul(x, weight) + take([1, 1, fanOut])
    }
    let tokenTable = take([c.vocabulary, d]), positionTable = take([c.context, d])
    var x = tokenTable.gatherRows(inputs) + positionTable.gatherRows(positions)
    let scale = 1 / Float(hd).squareRoot()
    for layer in 0..<c.layers {
      // NOTE: only the states before response tokens are read out, and after attention
      // every op is per position, so the last block computes its queries, residual and MLP
      // on those R positions only (keys and values on all S): exact, and (P − 1)/S less work there.
      let first = layer == c.layers - 1 ? promptLength - 1 : 0, n = s - first
      let qkv = linear(layerNorm(x), d, 3 * d)
      func split(_ part: Int, from start: Int) -> Value {
        let piece = qkv.sliced(axis: 2, start: part * d, length: d)
        return (start > 0 ? piece.sliced(axis: 1, start: start, length: s - start) : piece)
          .reshaped(to: [b, s - start, heads, hd]).transposed([0, 2, 1, 3]).reshaped(to: [b * heads, s - start, hd])
      }
      let (q, k, v) = (split(0, from: first), split(1, from: 0), split(2, from: 0))
      let visible = first > 0 ? bias.sliced(axis: 2, start: first, length: n) : bias
      let scores = (matmul(q, k, transposeB: true) * scale).reshaped(to: [b, heads, n, s]) + visible
      // NOTE: softmax as e / Σe with e = exp(x − max): one exp per score (x − logsumexp then
      // exp takes two), the shift gradient-free as in logSumExp.
      let shifted = exp(scores - stopGradient(scores.max(axis: -1, keepingDims: true)))
      let attention = (shifted / shifted.sum(axis: -1, keepingDims: true)).reshaped(to: [b * heads, n, s])
      let mixed = matmul(attention, v).reshaped(to: [b, heads, n, hd]).transposed([0, 2, 1, 3]).reshaped(to: [b, n, d])
      x = (first > 0 ? x.sliced(axis: 1, start: first, length: n) : x) + linear(mixed, d, d)
      let hidden = gelu(linear(layerNorm(x), d, 4 * d))
      x = x + linear(hidden, 4 * d, d)
    }
    // x now holds the R positions read out: the last block kept only those.
    let states = layerNorm(x)
    let logits = matmul(states.reshaped(to: [b * r, d]), tokenTable, transposeB: true).reshaped(to: [b, r, c.vocabulary])
    let logProbs = logits.logSoftmax(axis: -1)
    let logp = (logProbs.gatherLastAxis(targets) * mask).named("logp")
    let entropy = (-(exp(logProbs) * logProbs).sum(axis: -1) * mask).named("entropy")
    var value: Value?
    if c.valueHead {
      let weight = take([d, 1]), offset = take([1, 1])
      value = ((matmul(states.reshaped(to: [b * r, d]), weight) + offset).reshaped(to: [b, r]) * mask).named("value")
    }
    return (logp, entropy, value)
  }
}
