extension BlockDecl {
  private static func environment(_ name: String, _ summary: String, steps: Int) -> BlockDecl {
    BlockDecl(name, .task, .environmentTask, summary, papers: [.gymnasium], params: [
      .int("max_episode_steps", steps, .atLeast(1), "Truncate an episode after this many steps.")
        .only(.nowhere, when: .otherThan(.int(steps)), help: "runs keep Gymnasium's time limit (\(steps)) so far: leave 'max_episode_steps' out"),
    ], support: .environment)
  }

  static let cartpole = environment("cartpole", "Balance a pole on a cart (Gymnasium CartPole-v1).", steps: 500)
  static let acrobot = environment("acrobot", "Swing a two-link arm up (Gymnasium Acrobot-v1).", steps: 500)
  static let mountainCar = environment("mountain_car", "Drive an underpowered car up a hill (Gymnasium MountainCar-v0).", steps: 200)
  static let pendulum = environment("pendulum", "Swing a pendulum up and hold it (Gymnasium Pendulum-v1, continuous).", steps: 200)
  static let arithmetic = BlockDecl("arithmetic", .task, .tokenTask, "Answer sums, differences or products of random numbers, checked exactly.",
    params: [
      .int("digits", 2, .closed(1, 9), "Digits per operand (every operand has exactly this many)."),
      ParamDecl("operations", .list(.choice(["+", "-", "*"]), count: nil), default: .value(.list([.string("+")])), doc: "Operators drawn from."),
    ], support: [.token, .preference])
  static let countdown = BlockDecl("countdown", .task, .tokenTask, "Reach a target from a few numbers with + - * / (each used at most once).",
    params: [
      .int("numbers", 3, .closed(2, 6), "Numbers given per prompt."),
      .int("max_target", 50, .closed(1, 999_999), "Largest target."),
    ], support: [.token, .preference])
  static let sorting = BlockDecl("sorting", .task, .tokenTask, "Sort a short list of digits (letters past 10 symbols).",
    params: [
      .int("length", 5, .closed(2, 16), "Items per list."),
      .int("alphabet", 10, .closed(2, 26), "Distinct items."),
      .bool("partial_credit", false, "Reward the fraction of positions right instead of 0/1."),
    ], support: [.token, .preference])
  static let jsonl = BlockDecl("jsonl", .task, .tokenTask, "Your own prompts (and answers) from a JSON-lines file.",
    params: [
      .string("path", nil, "The file, relative to the recipe."),
      .string("prompt_key", "prompt", "The key of each line's prompt."),
      .string("answer_key", "answer", "The key of each line's reference answer (lines without one need reward.command)."),
    ], support: [.token, .preference])
  static let preference = BlockDecl("preference", .task, .preferenceTask,
    "Preference data built from a token task's verifier: K sampled answers per prompt, correct paired against incorrect.",
    papers: [.rso], params: [
      .choice("from", ["arithmetic", "countdown", "sorting"], "arithmetic", "The task whose verifier ranks responses."),
      .int("pairs", 1024, .atLeast(1), "Pairs in the dataset (lists for listwise losses)."),
      .int("samples", 4, .atLeast(2), "Answers sampled per prompt from the warm-started policy (K); listwise losses take all K, ranked by partial credit."),
      .choice("sampling", ["uniform", "rejection"], "uniform",
              "Which answers are paired: uniform draws, or RSO's statistical rejection sampling toward π_sft·exp(r/β)."),
      .float("rejection_beta", 0.5, .positive, "β of the reward-tilted policy that rejection sampling targets."),
    ], support: .preference)
  static let preferenceJSONL = BlockDecl("preference_jsonl", .task, .preferenceTask,
    "Preference data from a JSON-lines file: {prompt, chosen, rejected} pairs, or {prompt, completion, label} for KTO.",
    params: [.string("path", nil, "The file, relative to the recipe.")], support: .preference)

  static let mlp = BlockDecl("mlp", .policy, .model, "A multilayer-perceptron actor-critic (categorical or Gaussian head).",
    params: [
      ParamDecl("hidden", .list(.int, count: nil), default: .value(.list([.int(64), .int(64)])), doc: "Widths of the hidden layers."),
      .choice("activation", ["tanh", "relu"], "tanh", "Hidden-layer nonlinearity."),
      .float("log_std_init", 0.0, nil, "Initial log std of a Gaussian head (continuous actions)."),
      .choice("exploration", ["gaussian", "state_dependent"], "gaussian",
              "A Gaussian head's noise: a learned log std per action, or gSDE's state-dependent noise (continuous actions)."),
      .int("sde_sample_freq", 0, .nonNegative, "gSDE: redraw the noise every n steps; 0 means once per rollout."),
    ], support: .environment)
  static let transformer = BlockDecl("transformer", .policy, .model, "A small character-level causal transformer.",
    papers: [.transformer], params: [
      .int("layers", 2, .atLeast(1), "Transformer blocks."),
      .int("width", 128, .atLeast(1), "Model width."),
      .int("heads", 4, .atLeast(1), "Attention heads; must divide width."),
      .int("context", 64, .atLeast(1), "Longest prompt plus response, in tokens."),
      .float("dropout", 0.0, .unitOpenAbove, "Network dropout; ratio-based methods want 0.")
        .only(.nowhere, when: .otherThan(.float(0)), help: "runs train without dropout (ratio-based methods want 0): write 'dropout: 0.0'"),
      .bool("value_head", false, "Add a value head (PPO on token tasks)."),
    ], support: [.token, .preference])

  private static let gradClip = ParamDecl("grad_clip", .float, default: .absent, range: .positive, doc: "Clip the gradient's global norm; null means no clipping.")
  private static let betas = ParamDecl("betas", .list(.float, count: 2), default: .value(.list([.float(0.9), .float(0.999)])), doc: "Decay rates of the moment estimates.")
  static let adam = BlockDecl("adam", .optimizer, .optimizer, "Adam.", papers: [.adam], params: [
    .float("lr", 1e-3, .positive, "Learning rate."), betas,
    .float("eps", 1e-8, .positive, "Added to the denominator."), gradClip,
  ], support: [.environment, .token, .preference])
  static let adamw = BlockDecl("adamw", .optimizer, .optimizer, "Adam with decoupled weight decay.", papers: [.adamW], params: [
    .float("lr", 1e-3, .positive, "Learning rate."), betas,
    .float("eps", 1e-8, .positive, "Added to the denominator."),
    .float("weight_decay", 0.01, .nonNegative, "Decoupled weight decay."), gradClip,
  ], support: [.token, .preference])
  static let sgd = BlockDecl("sgd", .optimizer, .optimizer, "Stochastic gradient descent with optional momentum.", params: [
    .float("lr", 1e-2, .positive, "Learning rate."),
    .float("momentum", 0.0, .unitOpenAbove, "Momentum."),
    .bool("nesterov", false, "Nesterov momentum."), gradClip,
  ], support: .nowhere)

  static let constant = BlockDecl("constant", .schedule, .schedule, "Keep the value as set.", support: .nowhere)
  static let linear = BlockDecl("linear", .schedule, .schedule, "Move linearly from the set value to `to` over training.", params: [
    .float("to", 0.0, nil, "The value at the end of training."),
    .int("warmup", 0, .nonNegative, "Iterations of linear warm-up from 0 first.")
      .only(.nowhere, when: .otherThan(.int(0)), help: "runs anneal without warm-up so far: leave 'warmup' out"),
  ], support: [.environment, .token, .preference])
  static let cosine = BlockDecl("cosine", .schedule, .schedule, "Cosine decay from the set value to `to`.", params: [
    .float("to", 0.0, nil, "The value at the end of training."),
    .int("warmup", 0, .nonNegative, "Iterations of linear warm-up from 0 first.")
      .only(.nowhere, when: .otherThan(.int(0)), help: "runs anneal without warm-up so far: leave 'warmup' out"),
  ], support: .nowhere)

}
