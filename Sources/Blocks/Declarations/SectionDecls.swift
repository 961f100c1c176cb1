extension SectionDecl {
  /// Every top-level section, in `Section` order.
  public static let all: [SectionDecl] = [
    SectionDecl(.recipe, "The recipe's name; defaults to the file name and is never inherited.", scalar: .string),
    SectionDecl(.paper, "The citation of the method the recipe follows; not inherited.", params: [
      .string("title", nil, "The paper's title."),
      .string("authors", "", "The authors, e.g. 'Yu et al.'."),
      .int("year", nil, .closed(1950, 2100), "Year of publication."),
      ParamDecl("arxiv", .string, default: .absent, doc: "The arXiv id (e.g. '2503.14476'); leave it out when unconfirmed."),
      ParamDecl("url", .string, default: .absent, doc: "A link to the paper when it has no arXiv id."),
    ]),
    SectionDecl(.extends, "Another recipe whose values this one overrides: a built-in recipe's name, or a path relative to this file.",
                scalar: .string),
    SectionDecl(.task, "What is learned: an environment, a verifiable token task, or a preference dataset.", blockCount: .one),
    SectionDecl(.policy, "The model and its warm start.", params: [
      ParamDecl("warm_start", .record([
        ParamDecl("sft", .record([
          .float("until_accuracy", nil, .fraction, "Stop the supervised stage at this accuracy on a validation slice."),
          .int("max_steps", 2000, .atLeast(1), "Stop after this many steps even below the accuracy."),
          .float("lr", 5e-4, .positive, "Learning rate of the supervised stage."),
        ]), default: .required, doc: "A supervised stage that stops at a target accuracy."),
      ]), default: .absent, doc: "How the policy starts before RL; absent means from scratch."),
    ], blockCount: .one),
    SectionDecl(.rollout, "How samples are drawn.", params: [
      .int("prompts", 16, .atLeast(1), "Prompts per batch (token tasks)."),
      .int("group", 1, .atLeast(1), "Samples per prompt; group baselines need at least 2."),
      .choice("pairs", ["best_worst", "all"], "best_worst",
              "Online preference pairs from each group when a preference loss trains on a token task: best against worst, or every better-worse pair."),
      .int("max_tokens", 16, .atLeast(1), "Longest response, in tokens."),
      .float("temperature", 1.0, .positive, "Sampling temperature."),
      .int("top_k", 0, .nonNegative, "Sample among the k likeliest tokens; 0 means all."),
      .float("top_p", 1.0, .fraction, "Nucleus sampling mass."),
      .int("envs", 4, .atLeast(1), "Parallel environments (environment tasks)."),
      .int("steps", 128, .atLeast(1), "Steps per environment per rollout (environment tasks)."),
      ParamDecl("normalize", .record([
        .bool("observations", true, "Normalize observations by their running mean and std."),
        .bool("rewards", true, "Scale rewards by the running std of the discounted return."),
        .float("clip", 10.0, .positive, "Clip normalized observations and scaled rewards to ±clip."),
      ]), default: .absent, doc: "Running observation normalization and reward scaling (SB3 VecNormalize); absent means raw (environment tasks)."),
    ]),
    SectionDecl(.reward, "Reward blocks; each adds its weighted term and is logged separately.", params: [
      ParamDecl("expr", .expression(.reward), default: .absent, doc: "An extra reward term written as a formula.")
        .only(.nowhere, when: .set, help: "runs score with reward blocks so far; see 'porecipe blocks' for the reward section"),
    ], blockCount: .many),
    SectionDecl(.filter, "Sample filters and replay buffers.", blockCount: .many),
    SectionDecl(.advantage, "One advantage estimator, then optional modifiers, or a formula.", params: [
      ParamDecl("then", .blockList(.modifier), default: .value(.list([])), doc: "Modifiers applied in order, e.g. [{batch_norm: {}}]."),
      ParamDecl("expr", .expression(.advantage), default: .absent, doc: "The advantage written as a formula instead of a block.")
        .only([.token, .eval], when: .set, help: "environment runs estimate advantages with gae or returns"),
    ], blockCount: .one),
    SectionDecl(.objective, "Policy-gradient slots or one structural rule, or exactly one preference loss, or a formula.", params: [
      ParamDecl("expr", .expression(.objective), default: .absent, doc: "A per-token loss (minimized) written as a formula."),
    ], blockCount: .many),
    SectionDecl(.optimizer, "The optimizer: Adam, AdamW or SGD.", blockCount: .one),
    SectionDecl(.schedule, "Schedules of numeric parameters, keyed by path (lr, objective.kl.coef).", blockCount: .many),
    SectionDecl(.train, "Iterations, epochs, minibatches, seed.", params: [
      ParamDecl("iterations", .int, default: .absent, range: .atLeast(1), doc: "Rollout-and-update iterations (token tasks)."),
      ParamDecl("total_steps", .int, default: .absent, range: .atLeast(1), doc: "Environment steps in all (environment tasks)."),
      .int("epochs", 1, .atLeast(1), "Passes over each rollout."),
      .int("minibatches", 1, .atLeast(1), "Optimizer steps per epoch."),
      .int("seed", 0, .nonNegative, "The one seed every random draw derives from."),
      ParamDecl("target_kl", .float, default: .absent, range: .positive, doc: "Stop an iteration's epochs early past this KL.")
        .only(.environment, when: .set, help: "only environment runs stop their epochs early so far: leave 'target_kl' out"),
      .int("eval_every", 0, .nonNegative, "Evaluate every n iterations; 0 means only at the end."),
    ]),
  ]

  /// The declaration of `section`.
  public static func of(_ section: Section) -> SectionDecl {
    all.first { $0.section == section } ?? SectionDecl(section, "")
  }
}
