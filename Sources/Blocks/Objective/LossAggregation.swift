import Diagnostics
import Graph

/// How per-token losses ℓ[i, t] become one scalar (masked positions never count):
///
///     token_mean:               Σ_{i,t} ℓ / Σ_{i,t} mask
///     seq_mean_token_sum:       mean over non-empty rows of Σ_t ℓ
///     seq_mean_token_mean:      mean over non-empty rows of Σ_t ℓ / (L_i + 1e-8)
///     seq_mean_token_sum_norm:  Σ_{i,t} ℓ / (N · norm), norm = T (the mask width) unless given
///
/// An empty batch aggregates to 0. A micro-batch divides by its minibatch's counts
/// (`PolicyBatch.globalCounts`), so micro-batch gradients add up to the minibatch's.
///
/// - Papers: DAPO token-mean (arXiv:2503.14476); Dr. GRPO constant normalizer (arXiv:2503.20783).
/// - Matches: verl 0.9.1 `agg_loss` (see tests).
public struct LossAggregation: Sendable {
  public static var declaration: BlockDecl { .aggregate }
  public enum Mode: String, Sendable, CaseIterable {
    case tokenMean = "token_mean", sequenceMeanTokenSum = "seq_mean_token_sum"
    case sequenceMeanTokenMean = "seq_mean_token_mean", sequenceMeanTokenSumNorm = "seq_mean_token_sum_norm"
  }
  public var mode: Mode
  /// The constant denominator of `seq_mean_token_sum_norm`; `nil` means the mask width T.
  public var norm: Double?

  public init(_ params: BlockParams) throws(CompileError) {
    mode = try params.choice("mode")
    norm = try params.optionalNumber("norm")
  }

  /// The scalar aggregate of `[N, T]` per-token losses.
  public func aggregate(_ losses: Value, batch: PolicyBatch) -> Value {
    let g = batch.graph
    let lengths = g.lengths
    let counts = batch.globalCounts
    let rows = max(counts?.sequences ?? (lengths .> 0).sum(), 1)
    switch mode {
    case .tokenMean:
      return g.masked(losses).sum() / max(counts?.tokens ?? batch.mask.sum(), 1)
    case .sequenceMeanTokenSum:
      return g.tokenSum(losses).sum() / rows
    case .sequenceMeanTokenMean:
      return (g.tokenSum(losses) / (lengths + 1e-8)).sum() / rows
    case .sequenceMeanTokenSumNorm:
      // NOTE: verl divides by the row count and the padded width; porecipe's training uses max_tokens.
      let width = Float(norm ?? Double(g.layout.tokens))
      return g.masked(losses).sum() / ((counts?.rows ?? batch.builder.scalar(Float(g.layout.rows))) * width)
    }
  }
}
