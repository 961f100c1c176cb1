extension BlockDecl {
  /// A reward block: its own parameters plus the `weight` every reward term takes.
  private static func reward(_ name: String, _ summary: String, papers: [Paper], params: [ParamDecl] = [],
                             formula: String? = nil, support: Support) -> BlockDecl {
    BlockDecl(name, .reward, .rewardTerm, summary, papers: papers,
              params: params + [.float("weight", 1.0, nil, "Weight of this term in the summed reward.")], formula: formula,
              support: support)
  }

  static let verifier = reward("verifier", "Rule-based correctness of the final answer (RLVR).",
    papers: [.grpo, .dapo], params: [
      .float("pass", 1.0, nil, "Reward of a correct answer."),
      .float("fail", 0.0, nil, "Reward of a wrong answer (DAPO uses -1)."),
      .bool("partial", false, "Delegate to partial_credit for graded scores.")
        .only(.nowhere, when: .equals(.bool(true)), help: "add reward.partial_credit for graded scores instead"),
    ],
    formula: "R_i = pass if check(answer_i, gold) else fail", support: .token)
  static let format = reward("format", "1 when the text matches a pattern (delimiters present, answer tagged), else 0.",
    papers: [.deepseekR1], params: [.string("pattern", nil, "The regular expression the response must match.")],
    formula: "R_fmt = 1 if matches(pattern, text) else 0", support: .token)
  static let partialCredit = reward("partial_credit", "Graded reward for numeric or structured answers instead of 0/1.",
    papers: [.crowdVLM], params: [
      .choice("mode", ["relative_error", "abs_error", "steps"], "relative_error", "How closeness is measured."),
      .float("power", 1.0, .positive, "Exponent p of the relative-error shape."),
      .float("scale", 1.0, .positive, "Error at which abs_error reaches 0."),
    ],
    formula: """
      relative_error: R = max(0, 1 - |ŷ - y| / max(|y|, 1))^p
      abs_error:      R = max(0, 1 - |ŷ - y| / scale)
      steps:          R = fraction of gold intermediate steps present
      """, support: .token)
  static let overlong = reward("overlong", "Soft punishment of responses that run into the length limit.",
    papers: [.dapo], params: [
      .int("max", nil, .atLeast(1), "The length limit M, in tokens."),
      .int("cache", nil, .atLeast(1), "The soft zone C before the limit, 0 < cache < max."),
      .float("penalty", 1.0, .nonNegative, "Penalty at and past the limit."),
      .bool("filter_truncated", false, "Mask truncated samples out of the loss instead of penalizing."),
    ],
    formula: """
      R_len = 0                          if L ≤ max - cache
      R_len = ((max - cache) - L) / cache · penalty   if max - cache < L ≤ max
      R_len = -penalty                   if L > max
      """, support: .token)
  static let lengthLinear = reward("length_linear", "-coef · L / Lmax (coef < 0 rewards length).",
    papers: [.geometryZero], params: [
      .float("coef", nil, nil, "Penalty per unit of relative length."),
      .bool("only_correct", true, "Apply only to correct responses."),
    ],
    formula: "R_len = -coef · L_i / Lmax", support: .token)
  static let lengthHistory = reward("length_history", "Reward correct answers shorter than the shortest correct one seen for the prompt.",
    papers: [.hapo], params: [.choice("init", ["none", "first_correct"], "none", "History before the first correct answer.")],
    formula: """
      x = L_i / h,  h = shortest correct length so far for the prompt;  f = cos(min(π/2 · x, π))
      correct: R_len = w·f;  wrong: R_len = w·min(f, 0);  no history yet: 0
      """, support: .token)
  static let repetition = reward("repetition", "-coef times the share of repeated n-grams.",
    papers: [.miroMind], params: [
      .int("n", 4, .atLeast(1), "n-gram length."),
      .float("coef", 0.5, .nonNegative, "Penalty scale."),
    ],
    formula: "R_rep = -coef · (repeated n-grams / n-grams)", support: .token)
  static let dither = reward("dither", "Zero-mean noise on discrete rewards so flat groups still yield gradient.",
    papers: [.redit], params: [
      .choice("dist", ["gaussian", "uniform"], "gaussian", "Noise distribution."),
      .float("sigma", 0.05, .positive, "Noise scale (uniform uses a = sigma·√3)."),
      .choice("schedule", ["constant", "linear_decay", "cosine"], "constant", "How sigma evolves over training."),
    ],
    formula: "R' = R + ε,   ε ~ N(0, σ²) or U(-a, a) with a = σ·√3", support: .token)
  static let allNegativeRefine = reward("all_negative_refine", "Graded scores for groups where every response is wrong.",
    papers: [.spectral], params: [
      .float("delta", 0.5, .positive, "Spread of the graded scores above the fail reward."),
      .choice("source", ["partial_credit", "step"], "partial_credit", "Where the graded scores come from."),
    ],
    formula: "if max(R over group) == fail:  R_i = fail + δ · s_i,   s_i ∈ [0, 1] graded", support: .nowhere)
  static let step = reward("step", "Dense per-step rewards on step-boundary tokens (process supervision).",
    papers: [.stepGRPO], params: [
      .choice("source", ["verifier_steps", "expert_match", "info_gain", "prm"], "verifier_steps", "Where step scores come from."),
      .choice("boundary", ["newline", "token_id", "action"], "newline", "What ends a step."),
      .float("redundancy_penalty", 0.0, .nonNegative, "Penalty for steps that add no information."),
    ],
    formula: "r[t_k] += w · s_k   at the last token t_k of step k", support: .nowhere)
  static let stepCountShape = reward("step_count_shape", "Scale the reward by a Weibull-shaped function of the step count.",
    papers: [.pspo], params: [
      .float("k", 2.0, .positive, "Weibull shape."),
      .float("lambda", 4.0, .positive, "Weibull scale, in steps."),
    ],
    formula: "R' = R · f(n_steps),   f(n) = (n/λ)^(k-1) · exp(-(n/λ)^k), scaled to peak 1", support: .nowhere)
  static let lengthTarget = reward("length_target", "Reward correct answers whose length lies in the prompt's usual range, then near a target.",
    papers: [.lapo], params: [
      ParamDecl("quantiles", .list(.float, count: 2), default: .value(.list([.float(0.3), .float(0.7)])), range: .unit,
                doc: "Quantiles of successful lengths that bound the rewarded range."),
      .choice("stage", ["discover", "internalize"], "discover", "Learn the range, or reach a target written into the prompt."),
    ],
    formula: """
      discover: correct responses with L_i in the [q_lo, q_hi] quantiles of the prompt's successful lengths get w
      internalize: R_len = max(0, 1 - |L_i - n| / n)
      """, support: .nowhere)
  static let contrastiveFeature = reward("contrastive_feature", "±1 for a behaviour depending on whether it helps within the group.",
    papers: [.geometryZero], params: [.string("feature", nil, "A regular expression that detects the behaviour.")],
    formula: "+1 for samples with the feature if acc_with > acc_without in the group, else -1", support: .nowhere)
  static let pairwise = reward("pairwise", "The probability that a response beats an anchor, from a pairwise judge.",
    papers: [.dno], params: [
      .choice("anchor", ["greedy", "reference", "group_best"], "greedy", "What each response is compared with."),
      .choice("judge", ["verifier", "model"], "verifier", "Who compares."),
    ],
    formula: "R_i = P(y_i ≻ y_anchor)", support: .nowhere)
  static let command = reward("command", "An external reward: a command speaking JSON lines on stdin and stdout.",
    papers: [.deepseekR1], params: [
      ParamDecl("argv", .list(.string, count: nil), default: .required, doc: "The command and its arguments."),
      .float("timeout_s", 10, .positive, "Seconds to wait for each answer."),
    ], support: .token)

}
