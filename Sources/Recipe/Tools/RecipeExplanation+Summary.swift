import Blocks

extension RecipeExplanation {
  /// The stages a training iteration runs, each with the blocks that act in it.
  var stages: [(stage: String, blocks: String)] {
    [("rollout", rollout), ("reward", reward), ("filter", names(in: .filter)), ("advantage", advantage), ("update", update)]
  }

  private func names(in section: Section) -> String {
    let names = recipe.blocks(in: section).map(\.decl.name)
    return names.isEmpty ? "none" : names.joined(separator: ", ")
  }

  private func number(_ path: String) -> String? { recipe.value(path).map(\.flow) }

  private var rollout: String {
    guard let task = recipe.blocks(in: .task).first?.decl else { return "none" }
    var parts = ["\(task.name) (\(task.kind.noun.split(separator: " ").dropFirst().joined(separator: " ")))"]
    if let model = recipe.blocks(in: .policy).first?.decl { parts.append("\(model.name) policy") }
    var shape = ""
    switch task.kind {
    case .tokenTask:
      shape = "\(number("rollout.prompts") ?? "?") prompts × \(number("rollout.group") ?? "?") samples, up to \(number("rollout.max_tokens") ?? "?") tokens"
    case .environmentTask:
      shape = "\(number("rollout.envs") ?? "?") envs × \(number("rollout.steps") ?? "?") steps"
    default:
      shape = "pairs from the dataset, no sampling"
    }
    return parts.joined(separator: ", ") + "; " + shape
  }

  private var reward: String {
    var names = recipe.blocks(in: .reward).map(\.decl.name)
    if recipe.value("reward.expr") != nil { names.append("expr") }
    if let kl = klSlot, recipe.value("objective.kl.in") == .string("reward") {
      names.append("kl penalty (\(kl.estimator) × \(kl.coef))")
    }
    return names.isEmpty ? "none" : names.joined(separator: ", ")
  }

  private var advantage: String {
    var text = recipe.blocks(in: .advantage).first?.decl.name ?? (recipe.value("advantage.expr") != nil ? "expr" : "none")
    if !recipe.modifiers.isEmpty { text += " then " + recipe.modifiers.joined(separator: ", ") }
    return text
  }

  private var update: String {
    var parts: [String] = []
    for block in recipe.blocks(in: .objective) {
      let name = block.decl.name
      switch name {
      case "ratio", "aggregate": parts.append("\(name) \(number("\(block.path).mode") ?? "?")")
      case "clip": parts.append("clip [1 - \(number("objective.clip.low") ?? "?"), 1 + \(number("objective.clip.high") ?? "?")]")
      case "kl": if recipe.value("objective.kl.in") != .string("reward"), let kl = klSlot { parts.append("kl \(kl.estimator) × \(kl.coef)") }
      case "entropy", "value": parts.append("\(name) × \(number("\(block.path).coef") ?? "?")")
      default: parts.append(name)
      }
    }
    if recipe.value("objective.expr") != nil { parts.append("expr") }
    var text = parts.isEmpty ? "none" : parts.joined(separator: ", ")
    if let optimizer = recipe.blocks(in: .optimizer).first { text += "; \(optimizer.decl.name) lr \(number("\(optimizer.path).lr") ?? "?")" }
    if let epochs = number("train.epochs"), let minibatches = number("train.minibatches") {
      text += "; \(epochs) epoch\(epochs == "1" ? "" : "s") × \(minibatches) minibatch\(minibatches == "1" ? "" : "es")"
    }
    return text
  }

  private var klSlot: (estimator: String, coef: String)? {
    guard recipe.block("kl", in: .objective) != nil else { return nil }
    return (number("objective.kl.estimator") ?? "?", number("objective.kl.coef") ?? "?")
  }

  /// Where KL enters: the reward, the loss, a structural rule, a preference loss, or nowhere.
  var klSummary: String {
    let objective = recipe.blocks(in: .objective).map(\.decl)
    if let loss = objective.first(where: { $0.kind == .preference }) {
      let beta = number("objective.\(loss.name).beta").map { ", β = \($0)" } ?? ""
      return "implicit in the \(loss.name) loss\(beta); no kl slot"
    }
    if let rule = objective.first(where: { $0.kind == .structural && ["ppo_penalty", "mdpo", "trpo"].contains($0.name) }) {
      switch rule.name {
      case "ppo_penalty": return "in the loss — ppo_penalty's adaptive β (target \(number("objective.ppo_penalty.target") ?? "?"))"
      case "mdpo": return "in the loss — mdpo's annealed KL to the policy at the iteration's start"
      default: return "a constraint on each step (trpo, max_kl \(number("objective.trpo.max_kl") ?? "?")), not a penalty"
      }
    }
    guard let kl = klSlot else { return "none — no objective.kl, so KL enters neither the reward nor the loss" }
    if recipe.value("objective.kl.coef")?.number == 0 { return "none — objective.kl is on but its coef is 0, so it adds nothing" }
    let against = recipe.value("objective.kl.against") == .string("old") ? "old" : "ref"
    var text: String
    if recipe.value("objective.kl.in") == .string("reward") {
      text = "in the reward — \(kl.coef) · \(kl.estimator)(old_logp - \(against)_logp) is subtracted from each token's reward before the advantage"
    } else {
      text = "in the loss — \(kl.coef) · \(kl.estimator)(logp - \(against)_logp), aggregated like the policy loss (\(number("objective.aggregate.mode") ?? "token_mean"))"
    }
    if let target = number("objective.kl.adaptive.target") { text += "; the coef adapts towards KL \(target)" }
    return text
  }

  /// Which aggregation turns per-token losses into one number, in words.
  var aggregateSummary: String {
    if recipe.blocks(in: .objective).contains(where: { $0.decl.kind == .preference }) { return "mean over pairs (a preference loss)" }
    guard let mode = number("objective.aggregate.mode") else { return "none — the recipe has no policy-gradient objective" }
    let meaning = switch mode {
    case "token_mean": "Σ mask·ℓ / Σ mask: every token of the minibatch weighs the same (as in DAPO)"
    case "seq_mean_token_mean": "mean over sequences of each one's token mean: a long response's tokens weigh less (as in GRPO)"
    case "seq_mean_token_sum": "mean over sequences of each one's token sum: long responses weigh more (as in RLOO)"
    case "seq_mean_token_sum_norm": "Σ mask·ℓ / (sequences · \(number("objective.aggregate.norm") ?? "?")): a constant denominator (as in Dr. GRPO)"
    default: "see 'porecipe blocks aggregate'"
    }
    return "\(mode) — \(meaning)"
  }
}
