extension BlockDecl {
  private static let beta = ParamDecl.float("beta", 0.1, .positive, "Inverse temperature of the implicit reward.")

  static let dpo = BlockDecl("dpo", .objective, .preference,
    "-log σ(β·h) on the margin h of implicit rewards; label smoothing gives conservative DPO.",
    papers: [.dpo], params: [
      beta,
      .float("label_smoothing", 0.0, .closedOpen(0, 0.5), "Probability that a pair's label is flipped (cDPO)."),
    ],
    formula: """
      h = (logp(y_w) - ref_logp(y_w)) - (logp(y_l) - ref_logp(y_l))
      ℓ = -(1-ε)·log σ(β·h) - ε·log σ(-β·h)
      """, support: [.preference, .eval])
  static let robust = BlockDecl("robust", .objective, .preference,
    "DPO debiased for a known rate of flipped labels.",
    papers: [.robustDPO], params: [
      beta,
      .float("label_smoothing", 0.1, ParamRange(lower: 0, lowerIsClosed: false, upper: 0.5, upperIsClosed: false), "Rate of flipped labels."),
    ],
    formula: "ℓ = (-(1-ε)·log σ(β·h) + ε·log σ(-β·h)) / (1 - 2ε)", support: [.preference, .eval])
  static let ipo = BlockDecl("ipo", .objective, .preference,
    "(h - 1/(2β))²: a squared loss that keeps the margin finite.",
    papers: [.ipo], params: [
      beta,
      .bool("average", true, "Use per-token mean log-probs (TRL) instead of sums."),
    ],
    formula: "ℓ = (h - 1/(2β))²", support: [.preference, .eval])
  static let hinge = BlockDecl("hinge", .objective, .preference,
    "max(0, 1 - β·h) (RSO); without a reference it is SLiC.",
    papers: [.slic, .rso], params: [
      beta,
      .float("delta", 1.0, .positive, "Margin of SLiC's hinge."),
      .bool("ref", true, "Measure log-probs against the reference policy."),
      .float("sft_weight", 0.0, .nonNegative, "Weight of an added supervised NLL term."),
    ],
    formula: "ℓ = max(0, 1 - β·h)   (ref: false gives SLiC: max(0, δ - (logp(y_w) - logp(y_l))) + λ_sft·NLL)", support: [.preference, .eval])
  static let simpo = BlockDecl("simpo", .objective, .preference,
    "-log σ(β·(length-normalized margin) - γ), no reference policy.",
    papers: [.simpo], params: [
      .float("beta", 2.0, .positive, "Scale of the length-normalized reward."),
      .float("gamma", 1.0, .nonNegative, "Target margin (γ/β ≈ 0.5)."),
    ],
    formula: "ℓ = -log σ(β·(logp(y_w)/L_w - logp(y_l)/L_l) - γ)", support: [.preference, .eval])
  static let orpo = BlockDecl("orpo", .objective, .preference,
    "NLL of the chosen response plus λ times an odds-ratio preference term, no reference.",
    papers: [.orpo], params: [
      .float("lambda", 0.1, .positive, "Weight of the odds-ratio term."),
    ],
    formula: "ℓ = NLL(y_w) + λ · -log σ(log odds(y_w) - log odds(y_l)),   odds(y) = p/(1-p), p = exp(mean_t logp)", support: [.preference, .eval])
  static let kto = BlockDecl("kto", .objective, .preference,
    "Unpaired loss on desirable and undesirable responses around a KL reference point.",
    papers: [.kto], params: [
      beta,
      .float("desirable_weight", 1.0, .nonNegative, "λ_D."),
      .float("undesirable_weight", 1.0, .nonNegative, "λ_U."),
    ],
    formula: """
      r = logp(y) - ref_logp(y);  z0 = max(0, mean KL on mismatched pairs), no gradient
      desirable: λ_D·(1 - σ(β·(r - z0)));  undesirable: λ_U·(1 - σ(β·(z0 - r)))
      """, support: [.preference, .eval])
  static let lipo = BlockDecl("lipo", .objective, .preference,
    "Listwise ranking loss with lambda weights over K responses.",
    papers: [.lipo], params: [
      beta,
      .int("list_size", 4, .atLeast(2), "Responses per list in training; eval takes K from the batch."),
      .choice("weighting", ["lambda", "none"], "lambda", "LambdaRank weights, or uniform."),
    ],
    formula: """
      s_i = β·(logp - ref_logp)(y_i)
      ℓ = Σ_{ψ_i > ψ_j} Δ_ij · log(1 + exp(-(s_i - s_j))),   Δ_ij = |G_i - G_j| · |1/D(τ_i) - 1/D(τ_j)|
      """, support: [.preference, .eval])
  static let pro = BlockDecl("pro", .objective, .preference,
    "Plackett-Luce over a ranked list of length-normalized scores, plus an SFT term.",
    papers: [.pro], params: [
      .float("sft_weight", nil, .nonNegative, "Weight of the NLL of the best response."),
      .float("temperature", 1.0, .positive, "Softmax temperature."),
    ],
    formula: "s = logp(y)/L;  ℓ = -Σ_{k<K} log(exp(s_k) / Σ_{j≥k} exp(s_j)) + sft_weight·NLL(y_1)", support: [.preference, .eval])

}
