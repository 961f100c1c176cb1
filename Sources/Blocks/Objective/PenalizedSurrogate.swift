import Diagnostics
import Graph

/// PPO's adaptive-KL variant, the loss of one update:
///
///     ℓ_t = −A_t·ρ_t,   loss = aggregate(ℓ) + β·aggregate(KL_t(π_old ‖ π))
///
/// with β = `beta_init` (the controller halves or doubles β towards `target` between
/// iterations in training) and KL_t the k3 estimate from samples of π_old: (ρ_t − 1) − log ρ_t.
///
/// - Papers: PPO, Schulman et al. 2017 (arXiv:1707.06347), adaptive KL penalty.
public struct PenalizedSurrogate: PolicyLoss {
  public static var declaration: BlockDecl { .ppoPenalty }
  public var beta: Double
  /// The KL per iteration the trainer's controller steers β towards.
  public var target: Double

  public init(_ params: BlockParams) throws(CompileError) {
    beta = try params.number("beta_init")
    target = try params.number("target")
    if try params.word("estimator") == "full" {
      throw CompileError("ppo_penalty.estimator: full needs the whole action distributions; a batch has the sampled actions' log-probs only",
                         at: params.span, help: ["--set objective.ppo_penalty.estimator=k3"])
    }
  }

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value { -input.advantages * input.ratio }

  public func penalty(batch: PolicyBatch) -> (estimate: Value, coefficient: Double)? {
    (SampledKL.oldToCurrent(batch: batch), beta)
  }
}

/// TRPO's surrogate: ℓ_t = −A_t·ρ_t. The mean KL(π_old ‖ π) (k3 estimate) is reported as
/// the `kl` term with coefficient 0: it is the constraint (≤ `max_kl`) that the conjugate-
/// gradient step and line search enforce in training, not a term of the loss.
///
/// - Papers: TRPO, Schulman et al. 2015.
public struct TrustRegionSurrogate: PolicyLoss {
  public static var declaration: BlockDecl { .trpo }

  public init(_ params: BlockParams) throws(CompileError) {}

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value { -input.advantages * input.ratio }

  public func penalty(batch: PolicyBatch) -> (estimate: Value, coefficient: Double)? {
    (SampledKL.oldToCurrent(batch: batch), 0)
  }
}

/// MDPO's on-policy objective at an iteration's first step (t_k = 1):
///
///     ℓ_t = −A_t·ρ_t,   loss = aggregate(ℓ) + (1/t_k)·aggregate(ρ_t·log ρ_t)
///
/// ρ·log ρ under samples of π_k estimates KL(π ‖ π_k) exactly in expectation; the anneal
/// of t_k runs in training.
///
/// - Papers: Mirror Descent Policy Optimization, Tomar et al. 2020.
public struct MirrorDescentSurrogate: PolicyLoss {
  public static var declaration: BlockDecl { .mdpo }
  /// Whether training anneals t_k = 1 − k/K (`schedule: linear_anneal`) or keeps t_k = 1 (`constant`).
  public var anneals: Bool

  public init(_ params: BlockParams) throws(CompileError) {
    anneals = try params.word("schedule") != "constant"
  }

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) -> Value { -input.advantages * input.ratio }

  public func penalty(batch: PolicyBatch) -> (estimate: Value, coefficient: Double)? {
    let logRatio = clip(batch[.logp] - batch[.oldLogp], -20, 20)
    return (batch.graph.masked(exp(logRatio) * logRatio), 1)
  }
}

/// KL(π_old ‖ π) from samples of π_old, k3 form: (ρ − 1) − log ρ, clamped as verl's low_var_kl.
enum SampledKL {
  static func oldToCurrent(batch: PolicyBatch) -> Value {
    let x = clip(batch[.logp] - batch[.oldLogp], -20, 20)
    return batch.graph.masked(clip(exp(x) - x - 1, -10, 10))
  }
}
