import Recipe

/// The recipe's `optimizer` (Adam, or AdamW with `allowsAdamW`) and `schedule.lr` as the
/// numbers both trainers take; anything else is refused by name.
struct OptimizerSettings {
  var learningRate: Double?
  var eps: Double?
  var betas: (Double, Double)?
  var gradClip: Double?
  /// AdamW's decoupled weight decay; nil for Adam.
  var weightDecay: Double?
  /// `schedule.lr.linear.to`; nil for a constant rate.
  var annealTo: Double?

  init(_ recipe: ResolvedRecipe, allowsAdamW: Bool, refuse: (String) -> RunSetup.Refusal) throws(RunSetup.Refusal) {
    func number(_ path: String) -> Double? { recipe.value(path)?.number }
    let names = allowsAdamW ? ["adam", "adamw"] : ["adam"]
    guard let optimizer = recipe.blocks(in: .optimizer).first, names.contains(optimizer.decl.name) else {
      throw refuse("'run' supports optimizer: " + names.map { "{\($0): {...}}" }.joined(separator: " and ") + " so far")
    }
    let o = "optimizer.\(optimizer.decl.name)"
    learningRate = number("\(o).lr")
    eps = number("\(o).eps")
    if case .list(let values)? = recipe.value("\(o).betas"), values.count == 2, let b1 = values[0].number, let b2 = values[1].number {
      betas = (b1, b2)
    }
    gradClip = number("\(o).grad_clip")
    if optimizer.decl.name == "adamw" { weightDecay = number("\(o).weight_decay") ?? 0.01 }
    if let other = recipe.entries.first(where: { $0.path.hasPrefix("schedule.") && !$0.path.hasPrefix("schedule.lr.linear.") }) {
      throw refuse("'run' supports schedule.lr.linear so far, not \(other.path)")
    }
    if let to = number("schedule.lr.linear.to") {
      if let warmup = number("schedule.lr.linear.warmup"), warmup != 0 { throw refuse("schedule.lr.linear.warmup is not supported by 'run' yet") }
      annealTo = to
    }
  }
}
