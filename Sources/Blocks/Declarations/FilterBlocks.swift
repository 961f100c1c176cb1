extension BlockDecl {
  static let dynamicSampling = BlockDecl("dynamic_sampling", .filter, .filter,
    "Drop groups whose rewards are all equal and keep sampling until the batch is full.",
    papers: [.dapo], params: [
      .choice("metric", ["acc", "reward_std"], "acc", "Keep groups with 0 < correct < G, or with reward std > 0."),
      .int("max_rounds", 8, .atLeast(1), "Sampling rounds before training on what was collected."),
      ParamDecl("min_groups", .int, default: .derived("rollout.prompts"), range: .atLeast(1), doc: "Groups needed to fill a batch."),
    ],
    formula: """
      keep group b iff 0 < #correct(b) < G   (metric: acc)
                or std(R, over: group) > 0   (metric: reward_std)
      """, support: .token)
  static let cppoPrune = BlockDecl("cppo_prune", .filter, .filter,
    "Keep only the completions with the largest |advantage| in each group.",
    papers: [.cppo], params: [
      .float("keep", 0.5, .fraction, "Share of each group kept (the paper's pruning rate is 1 - keep)."),
      .bool("refill", false, "Fill freed slots with groups from more prompts.")
        .only(.nowhere, when: .equals(.bool(true)), help: "pruned slots stay empty in runs so far: leave 'refill' false"),
    ],
    formula: "per group keep the k = ceil(G · keep) samples with the largest |A_i|; the others are masked out of the loss", support: .token)
  static let entropyTokens = BlockDecl("entropy_tokens", .filter, .filter,
    "Apply the loss only on the highest-entropy (forking) tokens.",
    papers: [.entropyTokens], params: [.float("top", 0.2, .fraction, "Share of tokens kept.")],
    formula: "mask_t = H_t ≥ quantile(H, 1 - top, over: batch×group×token)", support: .nowhere)
  static let policyFiltration = BlockDecl("policy_filtration", .filter, .filter,
    "Train only on samples whose reward is likely reliable.",
    papers: [.pfPPO], params: [
      .choice("strategy", ["best_worst", "best_random", "pow"], "best_worst", "Which samples of a group are kept."),
      .float("power", 2.0, .positive, "Exponent of the pow resampling weight |R|^p."),
    ],
    formula: """
      best_worst: keep each group's max- and min-reward samples; best_random: the best plus one random;
      pow: resample with weight |R|^p
      """, support: .nowhere)
  static let taskSelection = BlockDecl("task_selection", .filter, .filter,
    "Skip prompts whose success rate is outside a band.",
    papers: [.arpo], params: [
      .float("min_success", 0.0, .unit, "Skip prompts at or below this success rate."),
      .float("max_success", 1.0, .unit, "Skip prompts at or above this success rate."),
      .int("probe_samples", 4, .atLeast(1), "Samples drawn to estimate a new prompt's success rate."),
    ],
    formula: "skip a prompt unless min_success < success rate < max_success", support: .nowhere)
  static let sampleDropout = BlockDecl("sample_dropout", .filter, .filter,
    "Drop the samples whose surrogate term moves furthest, bounding its variance.",
    papers: [.dPPO], params: [
      .float("rate", 0.1, .unitOpenAbove, "Share of samples dropped per minibatch."),
      .choice("mode", ["top_fraction", "threshold"], "top_fraction", "Drop a fixed share, or those above a threshold."),
    ],
    formula: "d = |(ratio - 1) · A|;  mask out the top `rate` fraction of d per minibatch (every epoch)", support: .nowhere)
  static let replay = BlockDecl("replay", .filter, .filter,
    "Keep past responses and mix them into new groups.",
    papers: [.repo, .arpo], params: [
      .int("capacity", nil, .atLeast(1), "Responses kept (per prompt or in all)."),
      .bool("per_prompt", true, "One buffer per prompt."),
      .choice("strategy", ["recent", "random", "reward", "success"], "recent", "Which stored responses are drawn."),
      .int("off_samples", nil, .nonNegative, "Replayed samples per group."),
      .choice("when", ["always", "all_fail"], "always", "Replay always, or only into groups that failed entirely."),
    ],
    formula: """
      group used for advantages = G_on fresh samples ∪ G_off samples drawn from the buffer;
      replayed samples keep their stored old_logp
      """, support: .token)

}
