extension BlockDecl {
  static let gae = BlockDecl("gae", .advantage, .estimator,
    "Generalized advantage estimation with a learned critic (backward scan over tokens or steps).",
    papers: [.gae, .ppo], params: [
      .float("gamma", 0.99, .unit, "Discount; LLM recipes use 1.0."),
      .float("lambda", 0.95, .unit, "GAE λ: 0 is one-step TD, 1 is Monte-Carlo."),
      .choice("normalize", ["none", "batch", "minibatch"], "batch", "Whiten advantages over the batch (verl) or each minibatch (CleanRL).")
        .only([.environment, .eval], when: .equals(.string("minibatch")), help: "token runs whiten over the batch (verl): write 'normalize: batch' or 'none'"),
      .bool("bootstrap_truncated", true, "At a time-limit truncation use V(s_T) instead of 0."),
      .choice("critic", ["trained", "frozen"], "trained", "Train the critic with the value slot, or keep a pretrained one frozen.")
        .only(.eval, when: .equals(.string("frozen")), help: "runs train the critic with objective.value; a frozen pretrained critic needs a stage that trained one"),
    ],
    formula: """
      δ_t = r_t + γ·V_{t+1}·(1 - done_t) - V_t
      A_t = δ_t + γ·λ·(1 - done_t)·A_{t+1}   (backward scan over tokens or steps)
      returns_t = A_t + V_t
      """, support: [.environment, .token, .eval])
  static let returns = BlockDecl("returns", .advantage, .estimator,
    "Monte-Carlo return minus an optional value baseline (REINFORCE, A2C's n-step returns).",
    papers: [.a3c], params: [
      .float("gamma", 1.0, .unit, "Discount."),
      .choice("baseline", ["none", "value"], "none", "Subtract the critic's value, or nothing.")
        .only([.token, .eval], when: .equals(.string("none")), help: "environment runs train an actor-critic: write 'baseline: value'"),
      ParamDecl("n", .int, default: .absent, range: .atLeast(1), doc: "n-step returns bootstrapped from the critic; null means full returns."),
    ],
    formula: """
      G_t = Σ_{k≥t} γ^(k-t)·r_k
      A_t = G_t - b,   b = 0 (baseline: none) or V(s_t) (baseline: value)
      """, support: [.environment, .token, .eval])
  static let groupNorm = BlockDecl("group_norm", .advantage, .estimator,
    "Reward standardized within the prompt's group: (R - mean(R)) / (std(R) + eps), broadcast to all tokens.",
    papers: [.grpo, .drGRPO], params: [
      .bool("std", true, "Divide by the group's standard deviation (GRPO); false gives Dr. GRPO."),
      .choice("scale", ["group", "batch"], "group", "Take the std over the group or over the whole batch."),
      .float("eps", 1e-6, .positive, "Added to the std before dividing; keeps flat groups finite."),
      .bool("unbiased", true, "Bessel-corrected std (n-1), as torch, verl and TRL compute it."),
    ],
    formula: """
      A_i = (R_i - mean(R, over: group)) / (std(R, over: group) + eps)   (std: true)
      A_i =  R_i - mean(R, over: group)                                (std: false, Dr. GRPO)
      """, support: [.token, .eval])
  static let rloo = BlockDecl("rloo", .advantage, .estimator,
    "Leave-one-out baseline: each reward minus the mean of the others in its group.",
    papers: [.rloo],
    formula: "A_i = R_i - 1/(G-1) · Σ_{j≠i} R_j = G/(G-1) · (R_i - mean(R, over: group))", support: [.token, .eval])
  static let reinforcePP = BlockDecl("reinforce_pp", .advantage, .estimator,
    "Token-level discounted return of reward minus per-token KL, whitened over the batch; no critic, no group.",
    papers: [.reinforcePP], params: [
      .float("gamma", 1.0, .unit, "Discount."),
      .float("eps", 1e-8, .positive, "Added to the variance before the square root."),
    ],
    formula: """
      r_t = -β·k1_t, plus R_i on the last token;  G_t = Σ_{k≥t} γ^(k-t)·r_k
      A = (G - mean(G)) · rsqrt(var(G) + eps)   over all real tokens of the batch, var unbiased
      """, support: [.token, .eval])
  static let reinforcePPBaseline = BlockDecl("reinforce_pp_baseline", .advantage, .estimator,
    "Reward minus the group mean on every token, then whitened over the batch.",
    papers: [.reinforcePP], params: [
      .float("eps", 1e-8, .positive, "Added to the variance before the square root."),
    ],
    formula: """
      A_i = R_i - mean(R, over: group) on every token,
      then A = (A - mean(A)) · rsqrt(var(A) + eps) over all real tokens of the batch
      """, support: [.token, .eval])
  static let remax = BlockDecl("remax", .advantage, .estimator,
    "Reward minus the reward of a greedy response to the same prompt.",
    papers: [.remax],
    formula: "A_i = R(x, y_i) - R(x, ŷ_greedy) on every token", support: [.token, .eval])
  static let batchNorm = BlockDecl("batch_norm", .advantage, .modifier,
    "Whiten any advantage over all real tokens of the batch.",
    papers: [.ppo, .reinforcePP], params: [
      .bool("shift", true, "Subtract the mean; false divides only."),
      .float("eps", 1e-8, .positive, "Added to the variance before the square root."),
      ParamDecl("ewma", .float, default: .absent, range: .openUnit, doc: "Use running statistics with this decay; null uses the batch's.")
        .only(.eval, when: .set, help: "runs whiten with the batch's own statistics: leave 'ewma' null"),
    ],
    formula: "A' = (A - mean(A)) · rsqrt(var(A) + eps)   over all real tokens, var unbiased (shift: false divides only)", support: [.token, .eval])
  static let entropyScale = BlockDecl("entropy_scale", .advantage, .modifier,
    "Shrink advantages on prompts whose answers disagree (semantic entropy).",
    papers: [.seedGRPO], params: [
      .float("alpha", 1.0, .unit, "Strength of the shrinking."),
      .choice("f", ["linear", "exp"], "linear", "Shape: 1 - x or exp(-x)."),
      .choice("mass", ["count", "prob"], "count", "Cluster weight: share of answers or probability mass."),
    ],
    formula: """
      SE = -Σ_k p_k·log p_k   over clusters of equal answers
      A'_i = A_i · f(α · SE / log G),   f(x) = 1 - x (linear) or exp(-x)
      """, support: .nowhere)

}
