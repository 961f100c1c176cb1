import Core
import Diagnostics
import Graph

/// Preference losses on pairs (y_w chosen, y_l rejected) of sequence log-probabilities
/// (sums over each response's tokens), averaged over the P pairs. With the log-ratios
/// Δ_w = logp_w − ref_w, Δ_l = logp_l − ref_l and h = Δ_w − Δ_l:
///
///     dpo:     −(1−ε)·log σ(βh) − ε·log σ(−βh)                 (ε = label_smoothing; cDPO)
///     robust:  (−(1−ε)·log σ(βh) + ε·log σ(−βh)) / (1 − 2ε)
///     ipo:     (Δ_w/L_w − Δ_l/L_l − 1/(2β))²  (`average: false`: (h − 1/(2β))²)
///     hinge:   max(0, 1 − βh);  ref: false (SLiC): max(0, δ − (logp_w − logp_l))
///     simpo:   −log σ(β·(logp_w/L_w − logp_l/L_l) − γ)             (no reference)
///     orpo:    NLL_w + λ·(−log σ(log odds_w − log odds_l)),  odds = p/(1−p), p = exp(logp/L)
///
/// and TRL's further `DPOTrainer` loss types under TRL's names (`PairwisePreferenceLoss+TRL.swift`).
///
/// Terms: `chosen_reward` and `rejected_reward` are the mean implicit rewards
/// (β·(logp − ref); β·logp/L for simpo, λ·logp/L for orpo, logp for SLiC), `margin` their mean difference.
///
/// - Papers: DPO (arXiv:2305.18290); IPO (arXiv:2310.12036); RSO (arXiv:2309.06657); robust
///   DPO, SLiC-HF, SimPO, ORPO (2023–2024); the TRL losses' papers are on their declarations.
/// - Matches: TRL 0.27.2 `DPOTrainer.dpo_loss` (sigmoid with label smoothing, robust, hinge, and
///   the extra loss types), TRL 1.10.0.dev0 `DPOTrainer._compute_loss` (ipo, sigmoid_norm),
///   `CPOTrainer` simpo, `ORPOTrainer.odds_ratio_loss` (see tests).
public struct PairwisePreferenceLoss: Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    case dpo, robust, ipo, hinge, simpo, orpo
    case exoPair = "exo_pair", ncaPair = "nca_pair", bcoPair = "bco_pair", sppoHard = "sppo_hard"
    case aot, aotPair = "aot_pair", apoZero = "apo_zero", apoDown = "apo_down", discopop
    case sigmoidNorm = "sigmoid_norm"
  }
  public var kind: Kind
  /// β (λ for orpo).
  public var beta: Double
  public var labelSmoothing = 0.0
  public var averagesTokens = false
  public var delta = 1.0
  public var usesReference = true
  public var gamma = 0.0
  /// DiscoPOP's τ, the temperature of the log-ratio modulation.
  public var discopopTau = 0.05

  public init(_ params: BlockParams) throws(CompileError) {
    guard let kind = Kind(rawValue: params.declaration.name) else {
      throw CompileError("internal error: '\(params.declaration.name)' is not a pairwise preference loss (please report)", at: params.span)
    }
    self.kind = kind
    beta = try params.number(kind == .orpo ? "lambda" : "beta")
    switch kind {
    case .dpo, .robust, .exoPair, .aot, .aotPair: labelSmoothing = try params.number("label_smoothing")
    case .ipo: averagesTokens = try params.bool("average")
    case .hinge:
      delta = try params.number("delta")
      usesReference = try params.bool("ref")
      if try params.number("sft_weight") != 0 {
        throw CompileError("hinge.sft_weight needs the reference response's NLL, which a pair batch does not carry", at: params.span,
                           help: ["--set objective.hinge.sft_weight=0"])
      }
    case .simpo: gamma = try params.number("gamma")
    case .discopop: discopopTau = try params.number("discopop_tau")
    case .orpo, .ncaPair, .bcoPair, .sppoHard, .apoZero, .apoDown, .sigmoidNorm: break
    }
  }

  /// Whether the batch must give `chosen_nll`.
  public var needsChosenNLL: Bool { kind == .orpo }

  /// The pair inputs by name, `[P]` each (`chosen_nll` and `bco_delta` are rank 0).
  public static let inputNames = ["chosen_logp", "rejected_logp", "ref_chosen_logp", "ref_rejected_logp", "chosen_len", "rejected_len"]

  /// loss (mean over pairs) and terms; `inputs` holds the pair values by name.
  public func emit(_ inputs: [String: Value], builder: GraphBuilder) -> (loss: Value, terms: [(String, Value)]) {
    func x(_ name: String) -> Value { inputs[name] ?? builder.scalar(0) }
    let w = x("chosen_logp"), l = x("rejected_logp"), lenW = max(x("chosen_len"), 1), lenL = max(x("rejected_len"), 1)
    let rw = w - x("ref_chosen_logp"), rl = l - x("ref_rejected_logp")
    let b = Float(beta), eps = Float(labelSmoothing)
    var rewards = (chosen: b * rw, rejected: b * rl)
    let perPair: Value
    switch kind {
    case .dpo:
      perPair = -(1 - eps) * logSigmoid(b * (rw - rl)) - eps * logSigmoid(-b * (rw - rl))
    case .robust:
      perPair = (-(1 - eps) * logSigmoid(b * (rw - rl)) + eps * logSigmoid(-b * (rw - rl))) / (1 - 2 * eps)
    case .ipo:
      let h = averagesTokens ? rw / lenW - rl / lenL : rw - rl
      perPair = square(h - 1 / (2 * b))
    case .hinge:
      perPair = usesReference ? relu(1 - b * (rw - rl)) : relu(Float(delta) - (w - l))
      if !usesReference { rewards = (w, l) }  // SLiC's score is the log-likelihood itself
    case .simpo:
      rewards = (b * (w / lenW), b * (l / lenL))
      perPair = -logSigmoid(rewards.chosen - rewards.rejected - Float(gamma))
    case .orpo:
      // log odds = log p − log(1 − p) with log p = logp / L (the mean token log-prob).
      let meanW = w / lenW, meanL = l / lenL
      let logOdds = (meanW - PreferenceMath.log1mexp(meanW)) - (meanL - PreferenceMath.log1mexp(meanL))
      rewards = (b * meanW, b * meanL)
      perPair = x("chosen_nll") - b * logSigmoid(logOdds)
    default:
      perPair = trlLoss(chosen: w, rejected: l, inputs: inputs, builder: builder)
    }
    let pairs = Float(Swift.max(w.shape.count, 1))
    // NOTE: divide by P (exact in Float) rather than multiply by 1/P (rounded), so Double evaluation is exact.
    let mean = { (v: Value) in v.sum() / pairs }
    let terms = [("chosen_reward", mean(rewards.chosen)), ("rejected_reward", mean(rewards.rejected)),
                 ("margin", mean(rewards.chosen - rewards.rejected))]
    return (mean(perPair), terms)
  }

  func logSigmoid(_ x: Value) -> Value { PreferenceMath.logSigmoid(x) }
}
