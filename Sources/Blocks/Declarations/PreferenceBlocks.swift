extension BlockDecl {
  private static let beta = ParamDecl.float("beta", 0.1, .positive, "Inverse temperature of the implicit reward.")

  static let dpo = BlockDecl("dpo", .objective, .preference,
    "-log σ(β·h) on the margin h of implicit rewards; label smoothing gives conservative DPO.",
    papers: [.dpo], params: [
      beta,
      .float("label_smoothing", 0.0, .closedOpen(0, 0.5), "Probability that a pair's label is flipped (cDPO)."),
    ])
  static let robust = BlockDecl("robust", .objective, .preference,
    "DPO debiased for a known rate of flipped labels.",
    papers: [.robustDPO], params: [
      beta,
      .float("label_smoothing", 0.1, ParamRange(lower: 0, lowerIsClosed: false, upper: 0.5, upperIsClosed: false), "Rate of flipped labels."),
    ])
  static let ipo = BlockDecl("ipo", .objective, .preference,
    "(h - 1/(2β))²: a squared loss that keeps the margin finite.",
    papers: [.ipo], params: [
      beta,
      .bool("average", true, "Use per-token mean log-probs (TRL) instead of sums."),
    ])
  static let hinge = BlockDecl("hinge", .objective, .preference,
    "max(0, 1 - β·h) (RSO); without a reference it is SLiC.",
    papers: [.slic, .rso], params: [
      beta,
      .float("delta", 1.0, .positive, "Margin of SLiC's hinge."),
      .bool("ref", true, "Measure log-probs against the reference policy."),
      .float("sft_weight", 0.0, .nonNegative, "Weight of an added supervised NLL term."),
    ])
  static let simpo = BlockDecl("simpo", .objective, .preference,
    "-log σ(β·(length-normalized margin) - γ), no reference policy.",
    papers: [.simpo], params: [
      .float("beta", 2.0, .positive, "Scale of the length-normalized reward."),
      .float("gamma", 1.0, .nonNegative, "Target margin (γ/β ≈ 0.5)."),
    ])
  static let orpo = BlockDecl("orpo", .objective, .preference,
    "NLL of the chosen response plus λ times an odds-ratio preference term, no reference.",
    papers: [.orpo], params: [
      .float("lambda", 0.1, .positive, "Weight of the odds-ratio term."),
    ])
  static let kto = BlockDecl("kto", .objective, .preference,
    "Unpaired loss on desirable and undesirable responses around a KL reference point.",
    papers: [.kto], params: [
      beta,
      .float("desirable_weight", 1.0, .nonNegative, "λ_D."),
      .float("undesirable_weight", 1.0, .nonNegative, "λ_U."),
    ])
  static let lipo = BlockDecl("lipo", .objective, .preference,
    "Listwise ranking loss with lambda weights over K responses.",
    papers: [.lipo], params: [
      beta,
      .int("list_size", 4, .atLeast(2), "Responses per list."),
      .choice("weighting", ["lambda", "none"], "lambda", "LambdaRank weights, or uniform."),
    ])
  static let pro = BlockDecl("pro", .objective, .preference,
    "Plackett-Luce over a ranked list of length-normalized scores, plus an SFT term.",
    papers: [.pro], params: [
      .float("sft_weight", nil, .nonNegative, "Weight of the NLL of the best response."),
      .float("temperature", 1.0, .positive, "Softmax temperature."),
    ])

}
