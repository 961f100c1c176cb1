import Diagnostics
import Graph

/// Plain actor-critic policy term, no ratio: ℓ_t = −logp_t·sg[A_t]. The critic and the
/// bonus come from the `value` and `entropy` slots; without `value` it is REINFORCE.
///
/// - Papers: A3C/A2C, Mnih et al. 2016.
public struct ActorCriticLoss: PolicyLoss {
  public static var declaration: BlockDecl { .a2c }

  public init(_ params: BlockParams) throws(CompileError) {}

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value {
    -input.logp * stopGradient(input.advantages)
  }
}
