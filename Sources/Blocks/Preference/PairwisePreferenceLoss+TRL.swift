import Core
import Foundation
import Graph

// MARK: - TRL's further pairwise loss types

extension PairwisePreferenceLoss {
  /// The per-pair loss of TRL's extra `DPOTrainer` loss types, read from TRL 0.27.2
  /// `DPOTrainer.dpo_loss` (sigmoid_norm from TRL 1.10.0.dev0 `_compute_loss`). With
  /// Δ_w, Δ_l the log-ratios, h = Δ_w − Δ_l, ε = label_smoothing:
  ///
  ///     exo_pair:     σ(βh)·(log σ(βh) − log(1−ε)) + σ(−βh)·(log σ(−βh) − log ε)
  ///     nca_pair:     −log σ(βΔ_w) − ½·log σ(−βΔ_w) − ½·log σ(−βΔ_l)
  ///     bco_pair:     −log σ(βΔ_w − δ) − log σ(−(βΔ_l − δ)),  δ = `bco_delta`, else the batch
  ///                   mean of βΔ over chosen and rejected (TRL's running mean after one step)
  ///     sppo_hard:    (Δ_w − 1/(2β))² + (Δ_l + 1/(2β))²
  ///     aot:          DPO (with ε) on sort(logp_w − logp_l) − sort(ref_w − ref_l)
  ///     aot_pair:     DPO (with ε) on sort(Δ_w) − sort(Δ_l)
  ///     apo_zero:     1 − σ(βΔ_w) + σ(βΔ_l)
  ///     apo_down:     σ(βΔ_w) + 1 − σ(βh)
  ///     discopop:     (1 − m)·(−log σ(βh)) + m·e^(−βh),  m = σ(βh/τ)
  ///     sigmoid_norm: −log σ(β·(Δ_w/L_w − Δ_l/L_l))
  func trlLoss(chosen w: Value, rejected l: Value, inputs: [String: Value], builder: GraphBuilder) -> Value {
    func x(_ name: String) -> Value { inputs[name] ?? builder.scalar(0) }
    let refW = x("ref_chosen_logp"), refL = x("ref_rejected_logp")
    let rw = w - refW, rl = l - refL, h = rw - rl
    let b = Float(beta), eps = Float(labelSmoothing)
    let smoothed = { (z: Value) in -(1 - eps) * self.logSigmoid(b * z) - eps * self.logSigmoid(-b * z) }
    switch kind {
    case .exoPair:
      return sigmoid(b * h) * (logSigmoid(b * h) - Float(Foundation.log1p(-labelSmoothing)))
        + sigmoid(-b * h) * (logSigmoid(-b * h) - Float(Foundation.log(labelSmoothing)))
    case .ncaPair:
      return -logSigmoid(b * rw) - 0.5 * logSigmoid(-b * rw) - 0.5 * logSigmoid(-b * rl)
    case .bcoPair:
      // NOTE: TRL keeps δ as a running mean across steps; a single batch takes it as an input.
      let delta = inputs["bco_delta"] ?? stopGradient(concat([b * rw, b * rl], axis: 0).sum() / Float(2 * w.shape.count))
      return -logSigmoid(b * rw - delta) - logSigmoid(-(b * rl - delta))
    case .sppoHard:
      return square(rw - 0.5 / b) + square(rl + 0.5 / b)
    case .aot:
      return smoothed(PreferenceMath.sortedAscending(w - l) - PreferenceMath.sortedAscending(refW - refL))
    case .aotPair:
      return smoothed(PreferenceMath.sortedAscending(rw) - PreferenceMath.sortedAscending(rl))
    case .apoZero:
      return 1 - sigmoid(b * rw) + sigmoid(b * rl)
    case .apoDown:
      return sigmoid(b * rw) + 1 - sigmoid(b * h)
    case .discopop:
      let logits = b * h, modulation = sigmoid(logits / Float(discopopTau))
      return -logSigmoid(logits) * (1 - modulation) + exp(-logits) * modulation
    case .sigmoidNorm:
      return -logSigmoid(b * (rw / max(x("chosen_len"), 1) - rl / max(x("rejected_len"), 1)))
    case .dpo, .robust, .ipo, .hinge, .simpo, .orpo:
      preconditionFailure("\(kind) is emitted by PairwisePreferenceLoss.emit")
    }
  }
}
