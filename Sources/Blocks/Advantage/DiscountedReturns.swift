import Diagnostics
import Foundation
import Graph

/// Monte-Carlo return minus an optional value baseline (REINFORCE, A2C).
///
///     G_t = Σ_{k≥t} γ^{k−t} r_k                      (n: null)
///     G_t = Σ_{k=t}^{t+n−1} γ^{k−t} r_k + γ^n V_{t+n}   (n-step, A2C)
///     A_t = G_t − b_t,  b = 0 (baseline: none) or V (baseline: value)
///
/// `returns` are G. Masked positions carry the running return through. The n-step form
/// is G_t − γ^n G_{t+n} + γ^n V_{t+n} on left-aligned rows (past the end both are 0).
///
/// - Papers: A3C/A2C, Mnih et al. 2016; REINFORCE (Williams 1992).
public struct DiscountedReturns: AdvantageEstimator {
  public static var declaration: BlockDecl { .returns }
  public var gamma: Double
  public var subtractsValue: Bool
  public var steps: Int?
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    gamma = try params.number("gamma")
    subtractsValue = try params.word("baseline") == "value"
    steps = try params.optionalNumber("n").map { Int($0) }
    span = params.span
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    let g = batch.graph, mask = batch.mask
    var returns = linearScan(input.tokenRewards, decay: mask * Float(gamma) + (1 - mask), axis: 1, reverse: true)
    if let n = steps, n < g.layout.tokens {
      let values = try batch.input(.values, neededBy: "returns with n-step bootstrapping", at: span)
      let discount = Float(Foundation.pow(gamma, Double(n)))
      returns = returns - discount * g.shifted(returns, by: n) + discount * g.shifted(values, by: n)
    }
    returns = g.masked(returns)
    guard subtractsValue else { return AdvantageOutput(advantages: returns, returns: returns) }
    let values = try batch.input(.values, neededBy: "returns with baseline: value", at: span)
    return AdvantageOutput(advantages: g.masked(returns - values), returns: returns)
  }
}
