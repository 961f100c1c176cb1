/// TRL's further `DPOTrainer` loss types, under TRL's names and parameter names
/// (read from TRL 0.27.2 `DPOTrainer.dpo_loss`; `sigmoid_norm` from TRL 1.10.0.dev0).
extension BlockDecl {
  private static let beta = ParamDecl.float("beta", 0.1, .positive, "Inverse temperature of the implicit reward.")
  private static let smoothing = ParamDecl.float("label_smoothing", 0.0, .closedOpen(0, 0.5), "Probability that a pair's label is flipped.")

  static let exoPair = BlockDecl("exo_pair", .objective, .preference,
    "Reverse KL from the model's pair distribution softmax(βΔ) to the label distribution (1-ε, ε).",
    papers: [.exo], params: [
      beta,
      .float("label_smoothing", 1e-3, ParamRange(lower: 0, lowerIsClosed: false, upper: 0.5, upperIsClosed: false),
             "ε of the target distribution; must be above 0 (TRL replaces 0 by 1e-3)."),
    ],
    formula: "ℓ = σ(βh)·(log σ(βh) - log(1-ε)) + σ(-βh)·(log σ(-βh) - log ε)", support: [.preference, .eval])
  static let ncaPair = BlockDecl("nca_pair", .objective, .preference,
    "Noise-contrastive alignment: raises the chosen response's absolute implicit reward, lowers both.",
    papers: [.nca], params: [beta],
    formula: "ℓ = -log σ(βΔ_w) - ½·log σ(-βΔ_w) - ½·log σ(-βΔ_l),   Δ = logp - ref_logp", support: [.preference, .eval])
  static let bcoPair = BlockDecl("bco_pair", .objective, .preference,
    "Binary classifier on implicit rewards, chosen vs rejected, around a running mean δ of the rewards.",
    papers: [.bco], params: [beta],
    formula: """
      ℓ = -log σ(βΔ_w - δ) - log σ(-(βΔ_l - δ))
      δ: running mean of βΔ over chosen and rejected; eval reads 'bco_delta', else the batch mean (TRL's first step)
      """, support: [.preference, .eval])
  static let sppoHard = BlockDecl("sppo_hard", .objective, .preference,
    "Self-play preference optimization with hard win probabilities (1 for chosen, 0 for rejected).",
    papers: [.sppo], params: [beta],
    formula: "ℓ = (Δ_w - 1/(2β))² + (Δ_l + 1/(2β))²", support: [.preference, .eval])
  static let aot = BlockDecl("aot", .objective, .preference,
    "Alignment via optimal transport: DPO on the sorted policy log-ratios against the sorted reference log-ratios of the batch.",
    papers: [.aot], params: [beta, smoothing],
    formula: "d = sort(logp_w - logp_l) - sort(ref_w - ref_l);  ℓ = -(1-ε)·log σ(β·d) - ε·log σ(-β·d)", support: [.preference, .eval])
  static let aotPair = BlockDecl("aot_pair", .objective, .preference,
    "Alignment via optimal transport for unpaired data: DPO on sorted chosen against sorted rejected log-ratios.",
    papers: [.aot], params: [beta, smoothing],
    formula: "d = sort(Δ_w) - sort(Δ_l);  ℓ = -(1-ε)·log σ(β·d) - ε·log σ(-β·d)", support: [.preference, .eval])
  static let apoZero = BlockDecl("apo_zero", .objective, .preference,
    "Anchored preference optimization when chosen responses beat the model's own: raise chosen, lower rejected.",
    papers: [.apo], params: [beta],
    formula: "ℓ = 1 - σ(βΔ_w) + σ(βΔ_l)", support: [.preference, .eval])
  static let apoDown = BlockDecl("apo_down", .objective, .preference,
    "Anchored preference optimization when chosen responses are worse than the model's own: lower both, rejected more.",
    papers: [.apo], params: [beta],
    formula: "ℓ = σ(βΔ_w) + 1 - σ(β·h)", support: [.preference, .eval])
  static let discopop = BlockDecl("discopop", .objective, .preference,
    "Log-ratio modulated loss found by LLM-driven discovery: blends the logistic and exponential losses.",
    papers: [.discopop], params: [
      beta,
      .float("discopop_tau", 0.05, .positive, "Temperature of the modulation σ(βh/τ) (the paper's default)."),
    ],
    formula: "m = σ(β·h/τ);  ℓ = (1 - m)·(-log σ(β·h)) + m·exp(-β·h)", support: [.preference, .eval])
  static let sigmoidNorm = BlockDecl("sigmoid_norm", .objective, .preference,
    "DPO with each log-ratio divided by its response's length.",
    papers: [.simpo], params: [beta],
    formula: "ℓ = -log σ(β·(Δ_w/L_w - Δ_l/L_l))", support: [.preference, .eval])
}
