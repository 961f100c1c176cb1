/// Where an expression is written, which decides the named inputs it may read and what it
/// must produce.
public enum ExprContext: String, Sendable, CaseIterable {
  /// `advantage.expr`: advantages from rewards (before the update; no current `logp`).
  case advantage
  /// `objective.expr`: a per-token loss, minimized.
  case objective
  /// `reward.expr`: an extra reward term per response.
  case reward

  /// The inputs an expression here may name, with their types.
  public var inputs: [String: ExprType] {
    let shared: [String: ExprType] = [
      "mask": .number(.batch, .group, .token), "len": .number(.batch, .group),
      "reward": .number(.batch, .group), "max_tokens": .number(), "group_size": .number(),
    ]
    switch self {
    case .reward:
      return shared
    case .advantage:
      return shared.merging([
        "token_reward": .number(.batch, .group, .token), "values": .number(.batch, .group, .token),
        "old_logp": .number(.batch, .group, .token), "ref_logp": .number(.batch, .group, .token),
      ]) { a, _ in a }
    case .objective:
      let token = ExprType.number(.batch, .group, .token)
      return shared.merging([
        "logp": token, "old_logp": token, "ref_logp": token, "ratio": token, "adv": token,
        "returns": token, "values": token, "value_pred": token, "entropy": token, "token_reward": token,
      ]) { a, _ in a }
    }
  }
}
