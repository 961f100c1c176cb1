/// Everything a preference run needs besides its loss, as plain numbers: the recipe's
/// `policy`, `task.preference` (or the online `rollout`), `optimizer`, `schedule` and `train`
/// values after resolution.
///
/// Offline data (`task.preference`, `task.preference_jsonl`): `iterations` optimizer steps,
/// each on the next of the `minibatches` minibatches of a pass over the training pairs
/// (reshuffled every pass); a metrics line per step.
/// Online (`rollout.pairs` on a token task): `iterations` rounds of group rollouts from the
/// current policy, one step on the round's pairs each.
public struct PreferenceTrainerConfiguration: Sendable, Equatable, Codable {
  /// Where the pairs come from.
  public enum Source: Sendable, Equatable, Codable {
    /// `task.preference`: `units` pairs (lists, or KTO's correct/incorrect answer couples)
    /// built once from `samples` answers per prompt of the warm-started policy.
    case offline(units: Int, samples: Int, pairing: PreferencePairing)
    /// Online DPO: `prompts × group` rollouts per iteration from the current policy.
    case online(prompts: Int, group: Int, pairing: PreferencePairing, iterations: Int)
    /// `task.preference_jsonl`: the file's records (10% held out for reward accuracy).
    case file(PreferenceDataset)
  }

  public var source: Source
  /// The transformer (`policy.transformer`) and its supervised warm start.
  public var policy = TransformerConfiguration()
  public var warmStart: WarmStartConfiguration?
  /// Longest sampled response (`rollout.max_tokens`) and sampling temperature.
  public var maxTokens = 16
  public var temperature = 1.0
  /// Offline: optimizer steps (`train.iterations`) and minibatches per pass (`train.minibatches`).
  public var iterations = 64
  public var minibatches = 16
  public var seed: UInt64 = 0
  /// Held-out task accuracy every n steps (`train.eval_every`); 0: only at the start and end.
  public var evalEvery = 0
  public var learningRate = 1e-4
  public var adamBeta1 = 0.9, adamBeta2 = 0.999, adamEps = 1e-8
  public var weightDecay: Double?
  public var gradClip: Double?
  /// `schedule.lr.linear.to`: the rate moves linearly to this over the steps; nil: constant.
  public var annealTo: Double?
  /// The share of offline pairs held out for the implicit reward's accuracy.
  public var heldOutShare = 0.1

  public init(source: Source) { self.source = source }

  /// Checks what the trainer cannot run.
  public func validate() throws(RuntimeError) {
    func fail(_ reason: String) -> RuntimeError { .invalidConfiguration(reason: reason) }
    try policy.validate()
    guard maxTokens >= 1, temperature > 0 else { throw fail("rollout.max_tokens must be ≥ 1 and rollout.temperature > 0") }
    guard iterations >= 1, minibatches >= 1 else { throw fail("train.iterations and train.minibatches must be at least 1") }
    switch source {
    case .offline(let units, let samples, _):
      guard units >= 1, samples >= 2 else { throw fail("task.preference needs pairs ≥ 1 and samples ≥ 2") }
    case .online(let prompts, let group, _, let iterations):
      guard prompts >= 1, group >= 2, iterations >= 1 else {
        throw fail("online preference pairs need rollout.prompts ≥ 1, rollout.group ≥ 2 and train.iterations ≥ 1")
      }
    case .file: break
    }
  }
}
