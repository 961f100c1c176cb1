import Blocks
import Core
import Expr
import Foundation
import Graph
import Recipe
import Runtime
import Testing
import TestSupport

@testable import porecipe

/// The fused update (transformer + objective + gradient in one graph) against the two
/// programs it replaces: the compiled objective's d loss / d logp seeded into the
/// transformer's VJP.
@Suite struct TokenUpdateProgramTests {
  @Test("the fused update's loss and gradients equal the objective's grad_logp seeded into the transformer's backward pass",
        arguments: ["grpo", "dapo", "gspo", "ppo_token", "cispo"])
  func fusedEqualsSeeded(recipe name: String) throws {
    try compare(name, entropyBonus: false)
  }

  @Test("with an entropy bonus the fused gradient matches finite differences of the fused loss", arguments: ["grpo", "ppo_token"])
  func entropyBonus(recipe name: String) throws {
    try compare(name, entropyBonus: true)
  }

  func compare(_ name: String, entropyBonus: Bool) throws {
    let tiny = TokenRunTests.tiny + (entropyBonus ? ["objective.entropy={coef: 0.5}"] : [])
    guard case .loaded(let resolved, _) = RunRecipe.load(name, overrides: tiny) else { Issue.record("\(name) does not load"); return }
    let setup = try TokenRunSetup(resolved)
    let policy = setup.configuration.policy
    let (rows, prompt, tokens) = (6, 4, 3)
    var rng = Philox(seed: 11)
    let parameters = TransformerParameters.initialized(policy, rng: &rng)
    var batch = TokenRows(rows: rows, promptLength: prompt, responseLength: tokens)
    var maskValues = [Float](repeating: 0, count: rows * tokens)
    for row in 0..<rows {
      let promptLength = 2 + row % 3, responseLength = row == 5 ? 0 : 1 + row % 3
      batch.set(row: row, prompt: (0..<promptLength).map { _ in Int32(3 + rng.integer(below: 40)) },
                response: (0..<responseLength).map { _ in Int32(3 + rng.integer(below: 40)) })
      for t in 0..<responseLength { maskValues[row * tokens + t] = 1 }
    }
    let mask = Tensor(shape: [rows, tokens], scalars: maskValues)
    func noise(_ scale: Float) -> Tensor { Tensor(shape: [rows, tokens], scalars: (0..<rows * tokens).map { _ in scale * rng.normal() }) }
    let forward = try TransformerProgram(policy, rows: rows, promptLength: prompt, responseLength: tokens)
    let now = try forward.evaluate(parameters, batch)
    var inputs: [String: Tensor] = [
      "mask": mask, "old_logp": Tensor(shape: [rows, tokens], scalars: zip(now.logp.scalars, noise(0.3).scalars).map { $0 + $1 }),
      "ref_logp": Tensor(shape: [rows, tokens], scalars: zip(now.logp.scalars, noise(0.3).scalars).map { $0 + $1 }),
      "reward": Tensor(zeros: [rows]), "advantages": noise(1), "returns": noise(1), "values": noise(1),
      "token_count": Tensor(scalar: maskValues.reduce(0, +)), "sequence_count": Tensor(scalar: 5), "row_count": Tensor(scalar: Float(rows)),
    ]
    let present = TokenObjective.present(for: setup.objective, hasValues: policy.valueHead, hasBaseline: false)
    let fused = try TokenUpdateProgram(policy: policy, recipe: setup.objective, rows: rows, group: 2, promptLength: prompt, tokens: tokens,
                                       present: present)
    let result = try fused.run(parameters, batch, inputs: inputs, klCoefficient: setup.objective.kl?.coefficient)

    // The same update in two programs.
    let program = try PolicyProgram.compile(setup.objective, layout: RowLayout(groups: (0..<rows).map { $0 / 2 }, tokens: tokens),
                                            present: present, stage: .update)
    inputs["logp"] = now.logp
    inputs["entropy"] = now.entropy
    if let value = now.value { inputs["value_pred"] = value }
    let outputs = try Planner.plan(program.graph).run(inputs)
    let named = Dictionary(uniqueKeysWithValues: zip(program.outputNames, outputs))
    #expect(isClose(result.loss, Double(try #require(named["loss"]).scalar), rtol: 1e-4, atol: 1e-6))
    if !entropyBonus {
      let (_, seeded) = try forward.gradient(parameters, batch, gradLogp: try #require(named["grad_logp"]), gradValue: named["grad_value_pred"])
      for (a, b) in zip(result.gradients, seeded) {
        for (x, y) in zip(a.scalars, b.scalars) { #expect(isClose(Double(x), Double(y), rtol: 1e-3, atol: 1e-6)) }
      }
      return
    }
    // The entropy bonus differentiates through the logits (the seeded route cannot): check
    // the directional derivative along a random direction by central differences.
    var direction = parameters.tensors.map { Tensor(shape: $0.shape, scalars: (0..<$0.count).map { _ in rng.normal() }) }
    let norm = direction.reduce(0.0) { $0 + $1.scalars.reduce(0.0) { $0 + Double($1 * $1) } }.squareRoot()
    direction = direction.map { Tensor(shape: $0.shape, scalars: $0.scalars.map { $0 / Float(norm) }) }
    let analytic = zip(result.gradients, direction).reduce(0.0) { sum, pair in
      sum + zip(pair.0.scalars, pair.1.scalars).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    func loss(_ step: Float) throws -> Double {
      var moved = parameters
      moved.tensors = zip(parameters.tensors, direction).map { p, d in Tensor(shape: p.shape, scalars: zip(p.scalars, d.scalars).map { $0 + step * $1 }) }
      return try fused.run(moved, batch, inputs: inputs, klCoefficient: setup.objective.kl?.coefficient).loss
    }
    let h: Float = 1e-2
    let numeric = (try loss(h) - loss(-h)) / Double(2 * h)
    #expect(isClose(analytic, numeric, rtol: 3e-2, atol: 1e-3), "analytic \(analytic), numeric \(numeric)")
  }
}
