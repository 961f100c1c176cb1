import Core
import Foundation
import Diagnostics
import Graph

/// Listwise preference losses over P prompts with K ≥ 2 responses each, scored by a label
/// ψ = `score` (higher is better); log-probabilities are sequence sums, `[P, K]`:
///
///     lipo: s_i = β·(logp − ref_logp)(y_i)
///           ℓ = Σ_{ψ_i > ψ_j} Δ_ij · log(1 + e^(−(s_i − s_j)))
///           Δ_ij = |G_i − G_j|·|1/D(τ_i) − 1/D(τ_j)|, G = 2^ψ − 1, D(τ) = log2(1 + τ),
///           τ_i the 1-based rank of s_i in its list (no gradient); `weighting: none`: Δ_ij = 1
///     pro:  s_i = logp(y_i) / L_i / temperature, the list ordered by ψ descending (ties by
///           position): ℓ = Σ_{k<K} −log(e^(s_(k)) / Σ_{j≥k} e^(s_(j))) + sft_weight·nll
///
/// with the loss the mean over the P lists; `nll` [P] is the NLL of each list's best response.
/// Terms: `chosen_reward` / `rejected_reward` are the mean implicit rewards s of each list's
/// best / worst response by ψ, `margin` their difference.
///
/// - Papers: LiPO, Liu et al. 2024 (arXiv:2402.01878), Eq. for LiPO-λ; PRO, Song et al. 2023
///   (arXiv:2306.17492), with a fixed temperature in place of the paper's reward-gap temperatures.
public struct ListwisePreferenceLoss: Sendable {
  /// The block: LiPO-λ or PRO.
  public enum Kind: String, Sendable, CaseIterable { case lipo, pro }
  /// LiPO's pair weights: LambdaRank's Δ_ij, or 1 for every ordered pair.
  public enum Weighting: String, Sendable { case lambda, none }
  public var kind: Kind
  public var beta = 0.1
  public var weighting = Weighting.lambda
  public var sftWeight = 0.0
  public var temperature = 1.0

  public init(_ params: BlockParams) throws(CompileError) {
    guard let kind = Kind(rawValue: params.declaration.name) else {
      throw CompileError("internal error: '\(params.declaration.name)' is not a listwise preference loss (please report)", at: params.span)
    }
    self.kind = kind
    switch kind {
    case .lipo:
      beta = try params.number("beta")
      weighting = try params.choice("weighting")
    case .pro:
      sftWeight = try params.number("sft_weight")
      temperature = try params.number("temperature")
    }
  }

  /// The list inputs by name, `[P, K]` each; pro adds `nll` [P].
  public static let inputNames = ["logp", "ref_logp", "score", "len"]

  /// Whether the batch must give `nll`.
  public var needsNLL: Bool { kind == .pro }

  public func emit(_ inputs: [String: Value], builder: GraphBuilder) -> (loss: Value, terms: [(String, Value)]) {
    func x(_ name: String) -> Value { inputs[name] ?? builder.scalar(0) }
    let logp = x("logp"), score = x("score")
    let p = logp.shape[0], k = logp.shape[1], rows = Float(p)
    let s: Value
    let perList: Value
    switch kind {
    case .lipo:
      s = Float(beta) * (logp - x("ref_logp"))
      let item = s.reshaped(to: [p, k, 1]), other = s.reshaped(to: [p, 1, k])
      let better = score.reshaped(to: [p, k, 1]) .> score.reshaped(to: [p, 1, k])  // ψ_i > ψ_j
      var weight = better
      if weighting == .lambda {
        let gain = pow(builder.scalar(2), score) - 1
        let rank = PreferenceMath.descendingPositions(s) + 1
        let discount = 1 / (log(rank + 1) * Float(1 / Foundation.log(2.0)))
        weight = better * abs(gain.reshaped(to: [p, k, 1]) - gain.reshaped(to: [p, 1, k]))
          * abs(discount.reshaped(to: [p, k, 1]) - discount.reshaped(to: [p, 1, k]))
      }
      // log(1 + e^(−(s_i − s_j))) = −log σ(s_i − s_j).
      perList = (weight * -PreferenceMath.logSigmoid(item - other)).sum(axis: 2).sum(axis: 1)
    case .pro:
      s = logp / max(x("len"), 1) / Float(temperature)
      let position = PreferenceMath.descendingPositions(score)
      // later[p, i, j] = 1 when j is ranked at or below i: the softmax's denominator for i.
      let later = position.reshaped(to: [p, 1, k]) .>= position.reshaped(to: [p, k, 1])
      let top = stopGradient(s.max(axis: 1, keepingDims: true))
      let shifted = exp(s - top).reshaped(to: [p, 1, k])
      let logDenominator = log((later * shifted).sum(axis: 2)) + top
      let counted = position .< Float(k - 1)  // the last response adds no term
      perList = (counted * (logDenominator - s)).sum(axis: 1) + Float(sftWeight) * x("nll")
    }
    let best = PreferenceMath.descendingPositions(score) .== 0
    let worst = PreferenceMath.descendingPositions(score) .== Float(k - 1)
    let chosen = (best * s).sum(axis: 1).sum() / Float(rows), rejected = (worst * s).sum(axis: 1).sum() / Float(rows)
    return (perList.sum() / Float(rows), [("chosen_reward", chosen), ("rejected_reward", rejected), ("margin", chosen - rejected)])
  }
}
