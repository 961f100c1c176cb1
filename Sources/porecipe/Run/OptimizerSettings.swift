import Recipe
import Runtime

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

  init(_ values: RecipeValues, allowsAdamW: Bool) throws(RunSetup.Refusal) {
    let recipe = values.recipe
    let names = allowsAdamW ? ["adam", "adamw"] : ["adam"]
    guard let optimizer = recipe.blocks(in: .optimizer).first, names.contains(optimizer.decl.name) else {
      throw values.refuse("'run' supports optimizer: " + names.map { "{\($0): {...}}" }.joined(separator: " and ") + " so far")
    }
    let o = "optimizer.\(optimizer.decl.name)"
    learningRate = values.number("\(o).lr")
    eps = values.number("\(o).eps")
    if let items = values.list("\(o).betas"), items.count == 2, let b1 = items[0].number, let b2 = items[1].number {
      betas = (b1, b2)
    }
    gradClip = values.number("\(o).grad_clip")
    if optimizer.decl.name == "adamw" { weightDecay = values.number("\(o).weight_decay") ?? 0.01 }
    if let other = recipe.entries.first(where: { $0.path.hasPrefix("schedule.") && !$0.path.hasPrefix("schedule.lr.linear.") }) {
      throw values.refuse("'run' supports schedule.lr.linear so far, not \(other.path)")
    }
    if let to = values.number("schedule.lr.linear.to") {
      if let warmup = values.number("schedule.lr.linear.warmup"), warmup != 0 { throw values.refuse("schedule.lr.linear.warmup is not supported by 'run' yet") }
      annealTo = to
    }
  }

  /// Sets `c`'s rate, betas and eps where the recipe sets them (`c`'s defaults stay
  /// otherwise), and its gradient clip and schedule as the recipe has them (nil: none).
  func apply(to c: inout some AdamTrainerConfiguration) {
    c.learningRate = learningRate ?? c.learningRate
    c.adamEps = eps ?? c.adamEps
    if let (b1, b2) = betas { (c.adamBeta1, c.adamBeta2) = (b1, b2) }
    c.gradClip = gradClip
    c.annealTo = annealTo
  }
}

/// A trainer configuration that takes Adam's numbers and `schedule.lr.linear`: the
/// classic-control, token and preference trainers' (AdamW's weight decay is set apart).
protocol AdamTrainerConfiguration {
  var learningRate: Double { get set }
  var adamBeta1: Double { get set }
  var adamBeta2: Double { get set }
  var adamEps: Double { get set }
  var gradClip: Double? { get set }
  var annealTo: Double? { get set }
}

extension TrainerConfiguration: AdamTrainerConfiguration {}
extension TokenTrainerConfiguration: AdamTrainerConfiguration {}
extension PreferenceTrainerConfiguration: AdamTrainerConfiguration {}
