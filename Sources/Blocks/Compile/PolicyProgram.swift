import Core
import Diagnostics
import Expr
import Graph

/// A compiled `advantage` + `objective` over one batch shape: a graph whose outputs are
/// named by `outputNames` — `advantages`, `returns` (when defined), `loss`, `terms.<name>`,
/// then the gradients `grad_logp`, `grad_value_pred` (when a value loss is on) and
/// `grad_logp_full` (`kl.estimator: full` in the loss).
///
/// The group structure (RowLayout) is compiled in as constant 0/1 matrices, so one program
/// serves every batch with the same group ids and shape; the planner runs it in Float32,
/// the reference interpreter in Double.
///
/// `Stage.update` is the trainer's micro-batch step: advantages and returns come in as
/// inputs (computed once for the whole batch) and the aggregation divides by the
/// minibatch's counts, given as scalar inputs `token_count` (real tokens), `sequence_count`
/// (non-empty rows) and `row_count` (rows), so the gradients of a minibatch's micro-batches
/// add up to the minibatch's gradient (verl's global token and sequence counts).
public struct PolicyProgram: Sendable {
  /// What the program computes.
  public enum Stage: Sendable {
    /// Advantages and the update on one batch (`porecipe eval`).
    case evaluation
    /// The update on a micro-batch, given advantages, returns and the minibatch's counts.
    case update
  }

  /// Where a structural rule's KL penalty (`ppo_penalty`'s β, `mdpo`'s 1/t_k) takes its weight.
  public enum PenaltyWeight: Sendable {
    /// The block's own number (`beta_init`; 1 for `mdpo`).
    case block
    /// The scalar input `kl_coef`, so a trainer's adaptive or annealed weight moves without
    /// recompiling (a rule whose penalty is only reported, `trpo`, stays out of the loss).
    case input
  }

  public var graph: Graph
  public var outputNames: [String]
  public var layout: RowLayout

  /// Compiles `recipe` for batches of `layout`'s shape that bind the inputs in `present`
  /// (whole distributions over a vocabulary of `vocabulary` entries); without
  /// `differentiates` the graph stops at the loss (what `explain` prints).
  public static func compile(_ recipe: PolicyRecipe, layout: RowLayout, present: Set<PolicyBatch.Input>, vocabulary: Int = 0,
                             stage: Stage = .evaluation, differentiates: Bool = true,
                             penaltyWeight: PenaltyWeight = .block) throws(CompileError) -> PolicyProgram {
    let batch = PolicyBatch(layout: layout, present: present, vocabulary: vocabulary)
    let builder = batch.builder
    func at(_ part: String) { builder.origin = recipe.spans[part] }

    var output: AdvantageOutput
    if stage == .update {
      let shape: Shape = [layout.rows, layout.tokens]
      output = AdvantageOutput(advantages: batch.graph.masked(builder.input("advantages", shape)),
                               returns: recipe.value == nil ? nil : batch.graph.masked(builder.input("returns", shape)))
      batch.globalCounts = (builder.input("token_count", .scalar), builder.input("sequence_count", .scalar), builder.input("row_count", .scalar))
    } else {
      output = try advantages(recipe, batch: batch)
    }
    let advantages = stopGradient(output.advantages).named("advantages")

    at("objective.ratio")
    let ratio = try recipe.ratio.emit(batch: batch).named("ratio")
    at("objective")
    let input = PolicyLossInput(ratio: ratio, advantages: advantages, logp: batch[.logp], returns: output.returns)
    var tokenLoss = try recipe.policyLoss.tokenLoss(input, batch: batch)
    if let weights = recipe.tis?.weights(batch: batch) { tokenLoss = tokenLoss * weights }
    if let correction = try recipe.ratio.proximalCorrection(batch: batch) { tokenLoss = tokenLoss * correction }
    let aggregate = { (x: Value) in recipe.aggregation.aggregate(x, batch: batch) }
    at("objective.aggregate")
    let policy = aggregate(tokenLoss).named("pg_loss")
    var loss = policy
    var terms: [(String, Value)] = [("pg_loss", policy)]

    if let penalty = recipe.policyLoss.penalty(batch: batch) {
      let kl = aggregate(penalty.estimate).named("kl")
      if penalty.coefficient != 0 {
        loss = loss + (penaltyWeight == .input ? builder.input("kl_coef", .scalar) * kl : Float(penalty.coefficient) * kl)
      }
      if recipe.kl == nil { terms.append(("kl", kl)) }
    }
    if let kl = recipe.kl {
      at("objective.kl")
      let inLoss = kl.placement == .loss
      let term = aggregate(inLoss ? try kl.lossEstimate(batch: batch) : try kl.rewardEstimate(batch: batch)).named("kl")
      if inLoss { loss = loss + Float(kl.coefficient) * term }
      terms.append(("kl", term))
    }
    if let entropy = recipe.entropy {
      at("objective.entropy")
      let term = aggregate(try entropy.entropies(batch: batch)).named("entropy")
      loss = loss - Float(entropy.coefficient) * term
      terms.append(("entropy", term))
    }
    var differentiated = [batch.rawInputs[.logp]].compactMap { $0 }
    var gradientNames = ["grad_logp"]
    if recipe.kl?.differentiatesFullDistribution == true, let full = batch.rawInputs[.logpFull] {
      differentiated.append(full)
      gradientNames.append("grad_logp_full")
    }
    if let value = recipe.value {
      at("objective.value")
      let term = aggregate(try value.tokenLoss(returns: output.returns, batch: batch)).named("value_loss")
      loss = loss + Float(value.coefficient) * term
      terms.append(("value_loss", term))
      if let prediction = batch.rawInputs[.valuePred] {
        differentiated.append(prediction)
        gradientNames.append("grad_value_pred")
      }
    }
    builder.origin = nil
    loss = loss.named("loss")

    var outputs: [(String, Value)] = stage == .update ? [] : [("advantages", output.advantages)]
    if stage != .update, let returns = output.returns { outputs.append(("returns", returns)) }
    outputs.append(("loss", loss))
    outputs += terms.map { ("terms.\($0.0)", $0.1) }
    do {
      let forward = try builder.build(outputs: outputs.map(\.1))
      if !differentiates { return PolicyProgram(graph: forward, outputNames: outputs.map(\.0), layout: layout) }
      let graph = try forward.gradient(of: loss.id, withRespectTo: differentiated.map(\.id))
      return PolicyProgram(graph: graph, outputNames: outputs.map(\.0) + gradientNames, layout: layout)
    } catch {
      throw CompileError("the recipe does not fit the batch: \(error)", at: recipe.spans["objective"] ?? recipe.spans["advantage"])
    }
  }

  /// The advantage stage: the estimator on the batch's rewards, then the modifiers.
  static func advantages(_ recipe: PolicyRecipe, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    batch.builder.origin = recipe.spans["advantage"]
    let input = try rewards(recipe, batch: batch)
    var output: AdvantageOutput
    switch recipe.advantage {
    case .estimator(let estimator): output = try estimator.emit(input, batch: batch)
    case .expression(let expression): output = try expression.emit(input, batch: batch)
    }
    batch.builder.origin = recipe.spans["advantage.then"]
    for modifier in recipe.modifiers { output.advantages = try modifier.apply(to: output.advantages, batch: batch) }
    return output
  }

  /// Per-token rewards and per-sequence scores (DESIGN.md: the outcome reward sits on the
  /// last real token; KL in the reward uses old_logp − ref_logp, fixed at rollout).
  static func rewards(_ recipe: PolicyRecipe, batch: PolicyBatch) throws(CompileError) -> AdvantageInput {
    let g = batch.graph
    var tokenRewards = batch.has(.tokenReward) ? batch[.tokenReward] : g.masked(g.lastToken * g.toTokens(batch[.reward]))
    var scores = batch.has(.tokenReward) ? g.tokenSum(tokenRewards) : batch[.reward]
    if let kl = recipe.kl, kl.placement == .reward, kl.coefficient != 0 {
      batch.builder.origin = recipe.spans["objective.kl"]
      defer { batch.builder.origin = recipe.spans["advantage"] }
      tokenRewards = tokenRewards - Float(kl.coefficient) * (try kl.rewardEstimate(batch: batch))
      scores = g.tokenSum(tokenRewards)
    }
    return AdvantageInput(tokenRewards: tokenRewards, scores: scores)
  }
}
