extension BlockDecl {
  static let ratio = BlockDecl("ratio", .objective, .slot,
    "Which importance ratio feeds the clipping rule: per token, per sequence (GSPO), or their product.",
    papers: [.ppo, .gspo], params: [
      .choice("mode", ["token", "sequence", "sequence_token", "product"], "token", "Token ratio, length-normalized sequence ratio, or the unnormalized product."),
      .choice("proximal", ["old", "ewma"], "old", "Clip against the behaviour policy, or an EWMA of the weights (batch-size invariance).")
        .only(.eval, when: .equals(.string("ewma")), help: "runs keep no EWMA copy of the weights yet: write 'proximal: old'"),
    ], shortForm: "mode",
    formula: """
      token:          ρ_t = exp(logp_t - old_logp_t)
      sequence:       s_i = exp(mean(logp - old_logp, over: token)), shared by the tokens of response i
      sequence_token: value sg[s_i], gradient of token t through s_i·exp(logp_t - sg[logp_t])
      product:        exp(sum(logp - old_logp, over: token))
      proximal: ewma  ρ_t = exp(logp_t - prox_logp_t) into the clip, the loss times sg[exp(prox_logp_t - old_logp_t)]
      """, support: [.environment, .token, .eval])
  static let clip = BlockDecl("clip", .objective, .slot,
    "PPO clipped surrogate with asymmetric bounds (clip-higher) and optional dual clip.",
    papers: [.ppo, .dapo, .dualClip], params: [
      .float("low", 0.2, .unitOpenAbove, "The ratio may fall to 1 - low."),
      ParamDecl("high", .float, default: .derived("low"), range: .nonNegative, doc: "The ratio may rise to 1 + high (DAPO: 0.28)."),
      ParamDecl("dual", .float, default: .absent, range: .above(1), doc: "Dual clip c: where A < 0, cap the loss at c·|A|; off unless given (verl always applies 3.0: write dual: 3.0 to match it)."),
      ParamDecl("delta", .float, default: .absent, range: .above(1), doc: "Also cap the ratio at delta (TRL two-sided clipping)."),
    ],
    formula: """
      J_t = min(ρ_t·A_t, clip(ρ_t, 1 - low, 1 + high)·A_t)
      with dual: c and A_t < 0:  J_t = max(J_t, c·A_t)
      """, support: [.environment, .token, .eval])
  static let cispo = BlockDecl("cispo", .objective, .slot,
    "Clip the importance weight (detached) but keep every token's gradient.",
    papers: [.minimaxM1], params: [
      .float("low", 1.0, .nonNegative, "The weight may fall to 1 - low (the paper leaves it effectively unbounded)."),
      .float("high", nil, .nonNegative, "The weight may rise to 1 + high."),
    ],
    formula: "J_t = sg[clip(ρ_t, 1 - low, 1 + high)] · A_t · logp_t", support: [.environment, .token, .eval])
  static let tis = BlockDecl("tis", .objective, .slot,
    "Truncated importance sampling for stale or replayed samples: a detached weight capped at cap.",
    papers: [.repo], params: [
      .float("cap", 2.0, .atLeast(1), "Largest weight."),
    ],
    formula: "w_t = min(exp(old_logp_train_t - logp_rollout_t), cap), detached, multiplied into the token loss", support: [.environment, .token, .eval])
  static let kl = BlockDecl("kl", .objective, .slot,
    "Penalty keeping the policy near the reference (or the previous) policy, in the loss or in the reward.",
    papers: [.grpo, .rloo, .ziegler], params: [
      .choice("estimator", ["k1", "k2", "k3", "abs", "full"], "k3", "k1 = d, k2 = d²/2, k3 = exp(-d) - 1 + d, abs = |d|, full = exact.")
        .only(.eval, when: .equals(.string("full")), help: "runs see the sampled tokens' log-probabilities, not whole distributions: use k1, k2, k3 or abs"),
      .float("coef", 0.0, .nonNegative, "Weight of the penalty (GRPO 0.04); 0 means KL is silently absent."),
      .choice("in", ["loss", "reward"], "loss", "Add -coef·KL to the objective, or subtract coef·k from the token reward.")
        .only([.token, .eval], when: .equals(.string("reward")), help: "environment runs have no per-step KL reward: write 'in: loss'"),
      .choice("against", ["ref", "old"], "ref", "The frozen reference policy, or the policy before this update (MDPO).")
        .only([.environment, .eval], when: .equals(.string("old")), help: "token runs keep KL against the frozen reference: write 'against: ref' (MDPO's KL to the previous policy is objective.mdpo)")
        .only([.token, .eval], when: .equals(.string("ref")), help: "environment runs have no reference policy: write 'against: old' (KL to the policy before this update)"),
      ParamDecl("adaptive", .record([
        .float("target", nil, .positive, "The KL the controller steers towards."),
        .int("horizon", 10000, .atLeast(1), "Steps over which the coefficient adapts."),
      ]), default: .absent, doc: "Adaptive coefficient controller (Ziegler et al.).")
        .only([.token, .eval], when: .set, help: "environment runs keep the KL coefficient fixed: leave 'adaptive' out"),
      ParamDecl("clamp", .list(.float, count: 2), default: .absent, doc: "Clamp the estimate to [a, b] (verl clamps k3 to [-10, 10])."),
      .bool("straight_through", false, "Value of k1/k3, gradient of k2 (unbiased gradient for k3 in the loss)."),
    ],
    formula: """
      d_t = logp_t - ref_logp_t
      k1 = d;  k2 = d²/2;  k3 = exp(-d) - 1 + d;  abs = |d|;  full = Σ_v π(v)·(log π(v) - log π_ref(v))
      in: loss    J -= coef · aggregate(k)
      in: reward  r_t -= coef · k_t   before the advantage
      """, support: [.environment, .token, .eval])
  static let entropy = BlockDecl("entropy", .objective, .slot,
    "Entropy bonus: coef times the aggregated policy entropy.",
    papers: [.ppo, .a3c], params: [
      .float("coef", 0.0, .nonNegative, "Weight of the bonus (CleanRL Atari 0.01)."),
    ],
    formula: "J += coef · aggregate(H_t),   H_t = -Σ_v π(v)·log π(v)", support: [.environment, .token, .eval])
  static let value = BlockDecl("value", .objective, .slot,
    "Critic regression onto returns, added to the loss as coef times its aggregate.",
    papers: [.ppo, .a3c], params: [
      .choice("loss", ["mse", "clipped"], "clipped", "½(V - ret)², or the ½·max clipped form of CleanRL and verl."),
      .float("coef", 0.5, .nonNegative, "Weight of the value loss."),
      .float("clip", 0.2, .positive, "How far the new value may move from the rollout's value."),
    ],
    formula: """
      mse:     ½·(V - ret)²
      clipped: ½·max((V - ret)², (V_old + clip(V - V_old, -c, c) - ret)²)
      loss += coef · aggregate(...)
      """, support: [.environment, .token, .eval])
  static let aggregate = BlockDecl("aggregate", .objective, .slot,
    "How per-token losses become one scalar; decides GRPO vs Dr. GRPO vs DAPO numbers.",
    papers: [.dapo, .drGRPO], params: [
      .choice("mode", ["token_mean", "seq_mean_token_sum", "seq_mean_token_mean", "seq_mean_token_sum_norm"], "token_mean",
              "Mean over tokens, over sequences of token sums or means, or a token sum over a constant."),
      ParamDecl("norm", .int, default: .derived("rollout.max_tokens"), range: .atLeast(1),
                doc: "The constant denominator of seq_mean_token_sum_norm."),
    ], shortForm: "mode",
    formula: """
      token_mean:              Σ_{i,t} ℓ / Σ_{i,t} mask
      seq_mean_token_mean:     mean_i(Σ_t ℓ / L_i)
      seq_mean_token_sum:      mean_i(Σ_t ℓ)
      seq_mean_token_sum_norm: Σ_{i,t} ℓ / (N · norm)
      """, support: [.environment, .token, .eval])
  static let ppoPenalty = BlockDecl("ppo_penalty", .objective, .structural,
    "PPO's adaptive-KL variant: surrogate minus β·KL, β halved or doubled towards a target.",
    papers: [.ppo], params: [
      .float("target", 0.01, .positive, "The KL per update the coefficient steers towards."),
      .float("beta_init", 1.0, .positive, "Initial coefficient."),
      .choice("estimator", ["full", "k3"], "k3", "The k3 estimate of KL(π_old ‖ π) on the sampled actions, or the exact KL.")
        .only(.nowhere, when: .equals(.string("full")), help: "a batch holds the sampled actions' log-probs, not whole distributions: write 'estimator: k3'"),
    ],
    formula: """
      J = mean(ρ_t·A_t) - β·KL(π_old ‖ π)
      after each update with measured KL d:  β ← β/2 if d < target/1.5;  β ← 2β if d > 1.5·target
      """, support: [.environment, .token, .eval])
  static let trpo = BlockDecl("trpo", .objective, .structural,
    "Natural-gradient step under a mean-KL constraint (conjugate gradient and line search).",
    papers: [.trpo], params: [
      .float("max_kl", 0.01, .positive, "The trust region δ."),
      .int("cg_iters", 10, .atLeast(1), "Conjugate-gradient iterations."),
      .float("damping", 0.1, .nonNegative, "Added to the Fisher matrix's diagonal."),
      .float("backtrack", 0.8, .openUnit, "Step shrink factor of the line search."),
      .int("max_backtracks", 10, .atLeast(1), "Line-search steps before giving up."),
    ],
    formula: """
      g = ∇ mean(ρ·A);  solve (F + damping·I)·s = g by conjugate gradient
      Δθ = sqrt(2δ / (sᵀF s)) · s;  backtrack θ + α^j·Δθ until KL ≤ δ and the surrogate improves
      """, support: [.environment, .eval])
  static let mdpo = BlockDecl("mdpo", .objective, .structural,
    "Mirror-descent step: surrogate minus an annealed KL to the policy at the iteration's start.",
    papers: [.mdpo], params: [
      .int("steps", 10, .atLeast(1), "SGD steps per iteration."),
      .choice("schedule", ["linear_anneal", "constant"], "linear_anneal", "How the KL step size 1/t_k evolves."),
    ],
    formula: "J = mean(ρ·A) - (1/t_k)·KL(π ‖ π_k),   π_k the policy at the start of iteration k, t_k = 1 - k/K", support: [.environment, .token, .eval])
  static let a2c = BlockDecl("a2c", .objective, .structural,
    "Plain actor-critic, no ratio: mean(logp · sg[A]); with no value slot it is REINFORCE.",
    papers: [.a3c],
    formula: "J = mean(logp_t · sg[A_t])", support: [.environment, .token, .eval])
  static let apa = BlockDecl("apa", .objective, .structural,
    "Regress the log-ratio to the initial policy onto the scaled advantage.",
    papers: [.apa], params: [
      .float("lambda", 1.0, .positive, "Advantage scale."),
    ],
    formula: "ℓ_t = (logp_t - init_logp_t - A_t/λ)²", support: .nowhere)
  static let regression = BlockDecl("regression", .objective, .structural,
    "Regress centered implicit rewards onto centered true rewards (GVPO, REBEL, CoPG).",
    papers: [.gvpo], params: [
      .float("beta", 0.1, .positive, "Implicit-reward scale."),
      .choice("anchor", ["ref", "old"], "ref", "Log-probs the implicit reward is measured against."),
      .choice("form", ["group", "pair"], "group", "Centre within the group, or over a pair."),
      .choice("target", ["reward", "q_value"], "reward", "What the implicit reward regresses onto."),
    ],
    formula: """
      u_i = β·(Σ_t logp - Σ_t anchor_logp)
      group: ℓ = Σ_i ((u_i - mean(u, over: group)) - (R_i - mean(R, over: group)))²
      pair:  ℓ = ((u_1 - u_2) - (R_1 - R_2))²
      """, support: .nowhere)

}
