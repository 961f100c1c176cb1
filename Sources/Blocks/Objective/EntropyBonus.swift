import Diagnostics
import Graph

/// Entropy bonus: the loss subtracts `coef·aggregate(H_t)`, with the per-token policy
/// entropy H_t given by the batch as `entropy` [N, T].
///
/// - Papers: PPO (arXiv:1707.06347); A3C, Mnih et al. 2016.
public struct EntropyBonus: Sendable {
  public static var declaration: BlockDecl { .entropy }
  public var coefficient: Double
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    coefficient = try params.number("coef")
    span = params.span
  }

  /// `[N, T]` entropies.
  public func entropies(batch: PolicyBatch) throws(CompileError) -> Value {
    try batch.input(.entropy, neededBy: "objective.entropy", at: span)
  }
}
