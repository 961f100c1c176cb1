import Blocks
import Core
import Expr
import Foundation
import Graph
import Recipe
import Testing
import TestSupport

@testable import Runtime
@testable import porecipe

/// The environment trainer's minibatch update against the two programs it fuses: the
/// recipe's compiled objective (`PolicyProgram`, `Stage.update`) on the minibatch, its
/// d loss / d logp, d loss / d value_pred and d loss / d entropy seeded into the policy's
/// backward pass (a VJP through the actor-critic's own training graph).
@Suite struct EnvUpdateObjectiveTests {
  /// A short run on CartPole: 4 envs × 16 steps, 2 minibatches of 32, one epoch, a rate
  /// large enough that one iteration moves the ratio off 1 (and into the clip).
  static let small = ["rollout.envs=4", "rollout.steps=16", "train.minibatches=2", "train.epochs=1", "train.total_steps=640",
                      "optimizer.adam.lr=0.03", "train.seed=4"]

  /// The recipes, and what each adds to `small`.
  static let cases: [(String, [String])] = [
    ("ppo", []),
    ("ppo", ["objective.clip={low: 0.1, high: 0.3, dual: 1.5, delta: 1.05}"]),
    ("ppo", ["objective.clip=none", "objective.expr=-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv)"]),
    ("ppo", ["objective.kl={estimator: k2, coef: 0.5, against: old}", "objective.tis={cap: 2.0}", "objective.ratio=sequence"]),
    ("ppo", ["objective.clip=none", "objective.cispo={low: 0.2, high: 0.2}", "objective.aggregate=seq_mean_token_sum_norm"]),
    ("a2c", ["rollout.envs=8", "rollout.steps=5", "advantage.returns.n=5", "train.minibatches=1", "train.total_steps=400"]),
    ("ppo_penalty", []),
    ("mdpo", ["objective.mdpo.steps=1"]),
    ("trpo", ["advantage.gae.normalize=minibatch"]),
  ]

  @Test("the trainer's gradient on a minibatch equals the compiled objective's gradients seeded into the policy's VJP",
        arguments: 0..<cases.count)
  func seededGradient(index: Int) throws {
    let (name, overrides) = Self.cases[index]
    let trainer = try Self.trainer(name, overrides: overrides)
    try trainer.runIteration()
    // Moves the KL weight off its schedule: the update must read it as an input.
    trainer.klCoefficient = 0.37
    if let slot = trainer.batchSlots.klCoefficient { trainer.batchInputs[slot].mutableFloats()[0] = 0.37 }
    trainer.shuffle()
    trainer.gather(minibatch: 0)
    for k in trainer.sums.indices { trainer.sums[k] = 0 }
    try trainer.forwardBackward(iteration: 2)
    let got = trainer.gradients.map(\.scalars)

    let c = trainer.configuration
    var recipe = try c.objectiveRecipe()
    var weight: String? = "kl_coef"
    // ppo_penalty's reference takes β as the block's number: the input path against the constant one.
    if var penalty = recipe.policyLoss as? PenalizedSurrogate {
      penalty.beta = 0.37
      recipe.policyLoss = penalty
      weight = nil
    }
    let rows = c.minibatchSize
    let seeds = try Self.referenceSeeds(trainer, recipe: recipe, rows: rows, weight: weight, criticOnly: c.policyTerm == .trpo)
    let expected = try Self.seededVJP(trainer, rows: rows, seeds: seeds.gradients)
    let scale = expected.flatMap { $0 }.map { abs($0) }.max() ?? 1
    #expect(scale > 0)
    for (k, (g, e)) in zip(got, expected).enumerated() {
      #expect(firstMismatch(g, e, rtol: 1e-3, atol: 1e-5 * Double(scale)) == nil, "\(name) \(overrides) parameter \(k)")
    }
    #expect(isClose(trainer.sums[0], seeds.policyLoss, rtol: 1e-4, atol: 1e-6), "pg_loss")
    #expect(isClose(trainer.sums[1], seeds.valueLoss, rtol: 1e-4, atol: 1e-6), "value_loss")
  }

  @Test("trpo's surrogate gradient equals the compiled objective's grad_logp (negated) seeded into the policy's VJP")
  func trustRegionSurrogate() throws {
    let trainer = try Self.trainer("trpo", overrides: [])
    try trainer.runIteration()
    let recipe = try trainer.configuration.objectiveRecipe()
    let rows = trainer.configuration.batchSize
    let (graph, parameterIDs) = try TrustRegionStep.surrogateGraph(trainer.policy, rows, recipe: recipe)
    let withGradient = try graph.gradient(of: graph.outputs[0], withRespectTo: parameterIDs)
    // The rollout, after one iteration's step: old_logp is the rollout's, the policy has moved.
    var named: [String: Tensor] = [
      "observations": Tensor(shape: [rows, trainer.policy.observationSize], scalars: trainer.observations),
      "actions": Tensor(shape: [rows], indices: trainer.actionsInt), "old_logp": Tensor(shape: [rows], scalars: trainer.logProbs),
      "advantages": Tensor(shape: [rows], scalars: trainer.advantages), "old_head": Tensor(zeros: [rows, 2]),
    ]
    for (parameter, tensor) in zip(trainer.policy.parameters, trainer.parameters) { named[parameter.name] = tensor }
    let outputs = try Planner.plan(withGradient).run(named)
    let got = outputs.suffix(trainer.parameters.count).map(\.scalars)

    let forward = try Self.policyTerms(trainer, rows: rows, named: named)
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: Array(0..<rows), tokens: 1), present: [.values, .valuePred, .entropy],
                                            stage: .update)
    let result = try Planner.plan(program.graph).run(Self.programInputs(rows: rows, logp: forward.logp, entropy: forward.entropy,
                                                                        values: forward.values, named: named, returns: trainer.returns))
    let gradLogp = try #require(program.outputNames.firstIndex(of: "grad_logp"))
    let pgLoss = try #require(program.outputNames.firstIndex(of: "terms.pg_loss"))
    #expect(isClose(Double(outputs[0].scalar), -Double(result[pgLoss].scalar), rtol: 1e-5, atol: 1e-7), "L = −pg_loss")
    let seeds = (logp: result[gradLogp].scalars.map { -$0 }, entropy: [Float](repeating: 0, count: rows),
                 values: [Float](repeating: 0, count: rows))
    let expected = try Self.seededVJP(trainer, rows: rows, seeds: seeds, named: named)
    let scale = expected.flatMap { $0 }.map { abs($0) }.max() ?? 1
    for (k, (g, e)) in zip(got, expected).enumerated() {
      #expect(firstMismatch(g, e, rtol: 1e-3, atol: 1e-5 * Double(scale)) == nil, "parameter \(k)")
    }
  }

  @Test("ppo with objective.expr spelling the clip trains to clip's numbers; clip_frac only with clip")
  func expressionTrainsAsClip() throws {
    func metrics(_ overrides: [String]) throws -> [IterationMetrics] {
      let trainer = try Self.trainer("ppo", overrides: ["train.epochs=2"] + overrides)
      var metrics: [IterationMetrics] = []
      while !trainer.isFinished { metrics.append(try trainer.runIteration()) }
      return metrics
    }
    let clip = try metrics([])
    var expression = try metrics(["objective.clip=none", "objective.expr=-min(ratio * adv, clip(ratio, 0.8, 1.2) * adv)"])
    #expect(clip.count == 10 && clip.allSatisfy { $0.clipFraction != nil })
    #expect(clip.contains { ($0.clipFraction ?? 0) > 0 })
    #expect(expression.allSatisfy { $0.clipFraction == nil })
    for k in expression.indices { expression[k].clipFraction = clip[k].clipFraction }
    #expect(expression == clip)
  }

  // MARK: - Helpers

  static func trainer(_ name: String, overrides: [String]) throws -> Trainer {
    guard case .loaded(let resolved, _) = RunRecipe.load(name, overrides: small + overrides) else {
      throw RunSetup.Refusal(description: "\(name) \(overrides) does not load")
    }
    var c = try RunSetup(resolved).configuration
    // The trainer's gradient before clipping is what the programs compute.
    c.gradClip = nil
    return try Trainer(task: "cartpole", configuration: c)
  }

  /// The policy's log-probs, entropies and values at the trainer's parameters on `named`'s observations and actions.
  static func policyTerms(_ trainer: Trainer, rows: Int, named: [String: Tensor]) throws -> (logp: Tensor, entropy: Tensor, values: Tensor) {
    let training = try trainer.policy.trainingGraph(batchSize: rows) { terms in
      .init(loss: terms.logProbs.sum(), metrics: [("logp", terms.logProbs), ("entropy", terms.entropy), ("values", terms.values)])
    }
    let outputs = try Planner.plan(training.forward).run(named)
    return (outputs[1], outputs[2], outputs[3])
  }

  /// The inputs of the objective compiled for `rows` env steps: `[rows, 1]` columns, all-ones mask, counts `rows`.
  static func programInputs(rows: Int, logp: Tensor, entropy: Tensor, values: Tensor, named: [String: Tensor], returns: [Float],
                            oldValues: [Float]? = nil, klCoefficient: Float = 0) -> [String: Tensor] {
    func column(_ t: Tensor) -> Tensor { Tensor(shape: [rows, 1], scalars: Array(t.scalars.prefix(rows))) }
    func column(_ x: [Float]) -> Tensor { Tensor(shape: [rows, 1], scalars: Array(x.prefix(rows))) }
    var inputs: [String: Tensor] = [
      "mask": Tensor(repeating: 1, shape: [rows, 1]), "logp": column(logp), "entropy": column(entropy), "value_pred": column(values),
      "ref_logp": Tensor(zeros: [rows, 1]), "reward": Tensor(zeros: [rows]), "returns": column(returns),
      "values": column(oldValues ?? [Float](repeating: 0, count: rows)), "kl_coef": Tensor(scalar: klCoefficient),
      "token_count": Tensor(scalar: Float(rows)), "sequence_count": Tensor(scalar: Float(rows)), "row_count": Tensor(scalar: Float(rows)),
    ]
    for name in ["old_logp", "advantages"] { if let t = named[name] { inputs[name] = column(t) } }
    return inputs
  }

  /// The compiled objective on the trainer's gathered minibatch: its gradients with respect
  /// to logp, entropy (the entropy slot's −coef/B under token_mean) and value_pred, and its terms.
  static func referenceSeeds(_ trainer: Trainer, recipe: PolicyRecipe, rows: Int, weight: String?, criticOnly: Bool) throws
    -> (gradients: (logp: [Float], entropy: [Float], values: [Float]), policyLoss: Double, valueLoss: Double) {
    let named = minibatch(trainer)
    let forward = try policyTerms(trainer, rows: rows, named: named)
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: Array(0..<rows), tokens: 1), present: [.values, .valuePred, .entropy],
                                            stage: .update, penaltyCoefficientInput: weight)
    let s = trainer.batchSlots
    let inputs = programInputs(rows: rows, logp: forward.logp, entropy: forward.entropy, values: forward.values, named: named,
                               returns: trainer.batchInputs[s.returns].scalars, oldValues: s.oldValues.map { trainer.batchInputs[$0].scalars },
                               klCoefficient: 0.37)
    let outputs = try Planner.plan(program.graph).run(inputs)
    func output(_ name: String) throws -> Tensor { outputs[try #require(program.outputNames.firstIndex(of: name))] }
    let zeros = [Float](repeating: 0, count: rows)
    let gradLogp = criticOnly ? zeros : try output("grad_logp").scalars
    let gradValues = try output("grad_value_pred").scalars
    // NOTE: PolicyProgram differentiates logp and value_pred only; under token_mean over B
    // one-token rows, the entropy slot's −coef·ΣH/B has d/dH_i = −coef/B.
    let gradEntropy = criticOnly ? zeros : [Float](repeating: Float(-(recipe.entropy?.coefficient ?? 0) / Double(rows)), count: rows)
    return ((gradLogp, gradEntropy, gradValues), Double(try output("terms.pg_loss").scalar), Double(try output("terms.value_loss").scalar))
  }

  /// The trainer's gathered minibatch by input name, with its parameters.
  static func minibatch(_ trainer: Trainer) -> [String: Tensor] {
    let s = trainer.batchSlots
    var named = ["observations": trainer.batchInputs[s.observations], "actions": trainer.batchInputs[s.actions],
                 "old_logp": trainer.batchInputs[s.oldLogProbs], "advantages": trainer.batchInputs[s.advantages]]
    for (parameter, tensor) in zip(trainer.policy.parameters, trainer.parameters) { named[parameter.name] = tensor }
    return named
  }

  /// Σ_i (g_logp·logp + g_H·H + g_V·V)_i differentiated with respect to every parameter:
  /// the policy's backward pass seeded with the objective's gradients.
  static func seededVJP(_ trainer: Trainer, rows: Int, seeds: (logp: [Float], entropy: [Float], values: [Float]),
                        named: [String: Tensor]? = nil) throws -> [[Float]] {
    let training = try trainer.policy.trainingGraph(batchSize: rows) { terms in
      let g = terms.builder
      let loss = (terms.logProbs * g.input("seed_logp", [rows])).sum() + (terms.entropy * g.input("seed_entropy", [rows])).sum()
        + (terms.values * g.input("seed_values", [rows])).sum()
      return .init(loss: loss)
    }
    var inputs = named ?? minibatch(trainer)
    inputs["seed_logp"] = Tensor(shape: [rows], scalars: seeds.logp)
    inputs["seed_entropy"] = Tensor(shape: [rows], scalars: seeds.entropy)
    inputs["seed_values"] = Tensor(shape: [rows], scalars: seeds.values)
    return try Planner.plan(training.graph).run(inputs).suffix(training.parameterCount).map(\.scalars)
  }
}
