import Diagnostics
import Graph

/// Whitens any advantage over all real tokens of the batch (an `advantage.then` modifier).
///
///     A' = (A − mean(A))·rsqrt(var(A) + eps)     var unbiased; `shift: false` adds the mean back
///
/// - Papers: PPO (arXiv:1707.06347); REINFORCE++ (arXiv:2501.03262).
/// - Matches: verl `masked_whiten`.
public struct BatchWhitening: AdvantageModifier {
  public static var declaration: BlockDecl { .batchNorm }
  public var shifts: Bool
  public var epsilon: Double

  public init(_ params: BlockParams) throws(CompileError) {
    shifts = try params.bool("shift")
    epsilon = try params.number("eps")
    if try params.optionalNumber("ewma") != nil {
      throw CompileError("batch_norm.ewma (running statistics) runs only in training; eval whitens with the batch's statistics",
                         at: params.span, help: ["--set advantage.then[0].batch_norm.ewma=null"])
    }
  }

  public func apply(to advantages: Value, batch: PolicyBatch) throws(CompileError) -> Value {
    batch.graph.whiten(advantages, eps: epsilon, shift: shifts)
  }
}
