import Core
import Diagnostics
import Graph

/// KTO: a loss on single responses labelled desirable (1) or undesirable (0), each measured
/// against a reference point z0, the policy's KL from the reference estimated on mismatched
/// (prompt, response) pairs. With r = logp − ref_logp (sequence sums, [P]):
///
///     z0 = max(0, mean(kl_logp − kl_ref_logp))                      (no gradient)
///     desirable:   w_d·(1 − σ(β·(r − z0)))
///     undesirable: w_u·(1 − σ(β·(z0 − r)))
///     loss = the plain mean over the P examples
///
/// Terms: `chosen_reward` / `rejected_reward` are the mean β·r over desirable / undesirable
/// examples (0 when a side is empty), `margin` their difference, `kl` is z0.
///
/// - Paper: KTO, Ethayarajh et al. 2024 (arXiv:2402.01306).
/// - Matches: TRL 0.27.2 `KTOTrainer.kto_loss` (`loss_type="kto"`) with the losses' `.mean()` (see tests).
public struct UnpairedPreferenceLoss: Sendable {
  public var beta: Double
  public var desirableWeight: Double
  public var undesirableWeight: Double

  public init(_ params: BlockParams) throws(CompileError) {
    beta = try params.number("beta")
    desirableWeight = try params.number("desirable_weight")
    undesirableWeight = try params.number("undesirable_weight")
  }

  /// The inputs by name, `[P]` each.
  public static let inputNames = ["logp", "ref_logp", "len", "label", "kl_logp", "kl_ref_logp"]

  public func emit(_ inputs: [String: Value], builder: GraphBuilder) -> (loss: Value, terms: [(String, Value)]) {
    func x(_ name: String) -> Value { inputs[name] ?? builder.scalar(0) }
    let r = x("logp") - x("ref_logp"), label = x("label"), b = Float(beta), rows = Float(r.shape.count)
    let z0 = stopGradient(max((x("kl_logp") - x("kl_ref_logp")).sum() / Float(rows), 0))
    let desirable = Float(desirableWeight) * (1 - sigmoid(b * (r - z0)))
    let undesirable = Float(undesirableWeight) * (1 - sigmoid(b * (z0 - r)))
    let loss = select(label, desirable, undesirable).sum() / Float(rows)
    // Means over one side; max(count, 1) keeps an empty side at 0.
    let chosen = (label * b * r).sum() / max(label.sum(), 1)
    let rejected = ((1 - label) * b * r).sum() / max((1 - label).sum(), 1)
    return (loss, [("chosen_reward", chosen), ("rejected_reward", rejected), ("margin", chosen - rejected), ("kl", z0)])
  }
}
