import Diagnostics
import Graph

/// Advantage of each response relative to the other responses to the same prompt,
/// broadcast to all its tokens.
///
///     A_i = (R_i − mean(R_g)) / (std(R_g) + eps)     // std: true  (GRPO)
///     A_i =  R_i − mean(R_g)                         // std: false (Dr. GRPO)
///
/// std is unbiased (n − 1) unless `unbiased: false`; a group of one has mean 0 and std 1,
/// so its advantage is its raw reward (verl). `scale: batch` keeps the group mean but
/// divides by the std of all rewards in the batch (TRL `scale_rewards: batch`). Written in
/// the expression language: see `Prelude` (`group_norm`, `group_centered`).
///
/// - Papers: GRPO, Shao et al. 2024; Dr. GRPO, Liu et al. 2025 (arXiv:2503.20783).
/// - Matches: verl 0.9.1 `compute_grpo_outcome_advantage` (see tests).
public struct GroupNormalizedAdvantage: AdvantageEstimator {
  public static var declaration: BlockDecl { .groupNorm }
  /// Divide by the group's standard deviation (GRPO); `false` gives Dr. GRPO.
  public var scalesByStd: Bool
  /// Added to the std before dividing.
  public var epsilon: Double
  /// Bessel-corrected std.
  public var isUnbiased: Bool
  /// Divide by the std over the whole batch instead of the group's.
  public var scalesByBatch: Bool
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    scalesByStd = try params.bool("std")
    epsilon = try params.number("eps")
    isUnbiased = try params.bool("unbiased")
    span = params.span
    scalesByBatch = try params.word("scale") == "batch"
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    if scalesByBatch && scalesByStd {
      let centered = try Prelude.lower("group_centered", batch: batch, reward: input.scores, parameters: [:], span: span)
      let scores = input.scores, n = Float(batch.graph.layout.rows)
      let deviation = square(scores - scores.sum() / n).sum()
      let std = sqrt(deviation / (isUnbiased ? Swift.max(n - 1, 1) : n))
      return AdvantageOutput(advantages: batch.graph.masked(centered / (std + Float(epsilon))))
    }
    let perSequence = try Prelude.lower(scalesByStd ? "group_norm" : "group_centered", batch: batch, reward: input.scores,
                                        parameters: ["eps": epsilon, "unbiased": isUnbiased ? 1 : 0], span: span)
    return AdvantageOutput(advantages: batch.graph.masked(perSequence))
  }
}
