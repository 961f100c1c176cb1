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

/// The token trainer's update against `porecipe eval`: on the same rows, the fused update's
/// parameter gradient equals `eval`'s program (`PolicyProgram` stage `.evaluation`, which
/// computes its own advantages from the rows' rewards and groups) with its `grad_logp` (and
/// `grad_value_pred`) seeded into the transformer's backward pass. The update's inputs come
/// from the trainer's own code: its advantage stage on the whole batch, its minibatches of
/// whole groups, its gathering of a minibatch's inputs.
@Suite struct TokenUpdateEvalTests {
  /// The transformer shrunk (every token recipe's task fits a 16-token context here: the
  /// rows are made up, not sampled from the task).
  static let small = ["policy.transformer.layers=1", "policy.transformer.width=32", "policy.transformer.heads=2",
                      "policy.transformer.context=16"]

  static func path(_ name: String) -> String { TokenRunTests.recipes.appendingPathComponent("\(name).yaml").path }

  /// Every recipe in `recipes/` that trains a policy-gradient objective on a token task.
  static let tokenRecipes: [String] = {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: TokenRunTests.recipes.path)) ?? []
    return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted().filter { name in
      guard case .loaded(let resolved, _) = RunRecipe.load(path(name)) else { return false }
      return TokenRunSetup.isTokenTask(resolved) && !PreferenceRunSetup.isPreference(resolved)
    }
  }()

  @Test("the recipe directory has the token family (the list below is not vacuous)")
  func family() {
    #expect(Self.tokenRecipes.count >= 12, "\(Self.tokenRecipes)")
    #expect(Self.tokenRecipes.contains("grpo") && Self.tokenRecipes.contains("ppo_token") && !Self.tokenRecipes.contains("ppo"))
  }

  @Test("every token recipe: the update's gradient on the whole batch equals eval's grad_logp seeded into the transformer's VJP",
        arguments: tokenRecipes)
  func everyRecipe(name: String) throws {
    try compare(Self.path(name), minibatches: 1)
  }

  @Test("objective.expr reading reward and group statistics, ppo_penalty and mdpo: the update on each minibatch of whole groups equals eval on its rows",
        arguments: [
          ["objective.clip=none", "objective.expr=\"-(reward - mean(reward, over: group)) * ratio\""],
          ["objective.clip=none", "objective.expr=\"-(reward - mean(reward, over: group)) / group_size * ratio\"", "objective.kl=none"],
          ["objective.clip=none", "objective.kl=none", "objective.ppo_penalty={target: 0.01, beta_init: 0.7, estimator: k3}"],
          ["objective.clip=none", "objective.kl=none", "objective.mdpo={steps: 1, schedule: linear_anneal}"],
        ])
  func minibatches(overrides: [String]) throws {
    try compare(Self.path("grpo"), overrides: overrides, minibatches: 2)
  }

  /// 4 groups of 2 rows, up to 3 response tokens; the update runs on each minibatch of
  /// `minibatches` for a shuffled group order, and eval on the same rows.
  func compare(_ recipe: String, overrides: [String] = [], minibatches: Int) throws {
    guard case .loaded(let resolved, _) = RunRecipe.load(recipe, overrides: Self.small + overrides) else {
      Issue.record("\(recipe) \(overrides) does not load")
      return
    }
    let setup = try TokenRunSetup(resolved)
    var objective = setup.objective
    // The seeded route cannot differentiate an entropy bonus through the logits
    // (TokenUpdateProgramTests checks that one by finite differences).
    objective.entropy = nil
    let policy = setup.configuration.policy
    var c = TokenTrainerConfiguration()
    (c.prompts, c.group, c.minibatches) = (4, 2, minibatches)
    let (rows, prompt, tokens) = (c.rows, 4, 3)
    var rng = Philox(seed: 21)
    let parameters = TransformerParameters.initialized(policy, rng: &rng)

    var rollout = TokenRollout()
    for row in 0..<rows {
      let responseLength = row == 5 ? 0 : 1 + row % 3
      rollout.prompts.append((0..<(2 + row % 3)).map { _ in Int32(3 + rng.integer(below: 40)) })
      rollout.responses.append((0..<responseLength).map { _ in Int32(3 + rng.integer(below: 40)) })
      rollout.rewards.append(Double(rng.integer(below: 3)) / 2)
    }
    rollout.active = Array(repeating: true, count: rows)
    let usesBaseline: Bool = {
      if case .estimator(let estimator) = objective.advantage { return estimator is GreedyBaselineAdvantage }
      return false
    }()
    func noise(_ scale: Float, _ count: Int) -> [Float] { (0..<count).map { _ in scale * rng.normal() } }

    // The rollout's log-probs: the policy's now, moved a little (so ratios are not all 1).
    let whole = try TransformerProgram(policy, rows: rows, promptLength: prompt, responseLength: tokens)
    let atRollout = try whole.evaluate(parameters, rollout.tokenRows(0..<rows, promptLength: prompt, responseLength: tokens))
    var arrays = TokenTrainer.BatchArrays(oldLogp: zip(atRollout.logp.scalars, noise(0.3, rows * tokens)).map { $0 + $1 },
                                          refLogp: zip(atRollout.logp.scalars, noise(0.3, rows * tokens)).map { $0 + $1 },
                                          entropy: atRollout.entropy.scalars, values: policy.valueHead ? noise(1, rows * tokens) : nil)
    arrays.rewards = rollout.rewards.map(Float.init)
    arrays.baselineRewards = usesBaseline ? noise(0.5, rows) : nil

    // The trainer's advantage stage on the whole batch.
    let present = TokenObjective.present(for: objective, hasValues: policy.valueHead, hasBaseline: usesBaseline)
    let stage = try TokenObjective(recipe: objective, rows: rows, group: c.group, tokens: tokens, present: present)
    let (advantages, returns) = try stage.advantages(arrays.advantageInputs(mask: rollout.mask(0..<rows, tokens: tokens), tokens: tokens))
    (arrays.advantages, arrays.returns) = (advantages.scalars, returns?.scalars)

    let update = try TokenUpdateProgram(policy: policy, recipe: objective, rows: c.minibatchRows, group: c.group, promptLength: prompt,
                                        tokens: tokens, present: present)
    let forward = try TransformerProgram(policy, rows: c.minibatchRows, promptLength: prompt, responseLength: tokens)
    let groupOrder = [2, 0, 3, 1]
    for m in 0..<minibatches {
      let indices = c.minibatchRows(m, groupOrder: groupOrder)
      let batch = rollout.tokenRows(indices, promptLength: prompt, responseLength: tokens)
      let mask = rollout.mask(indices, tokens: tokens)
      let trained = try update.run(parameters, batch, inputs: arrays.updateInputs(indices, mask: mask, tokens: tokens),
                                   klCoefficient: objective.kl?.coefficient,
                                   penaltyCoefficient: TokenTrainer.initialPenaltyCoefficient(objective, iteration: 0, of: 10))

      // eval on the same rows: its own advantages from their rewards and group ids.
      let now = try forward.evaluate(parameters, batch)
      let eval = try PolicyProgram.compile(objective, layout: RowLayout(groups: indices.map { $0 / c.group }, tokens: tokens), present: present)
      let rowInputs = arrays.updateInputs(indices, mask: mask, tokens: tokens)
      var inputs = rowInputs.filter { ["mask", "old_logp", "ref_logp", "reward", "values", "baseline_reward"].contains($0.key) }
      inputs["logp"] = now.logp
      inputs["entropy"] = now.entropy
      if let value = now.value { inputs["value_pred"] = value }
      let outputs = try Planner.plan(eval.graph).run(inputs)
      let named = Dictionary(uniqueKeysWithValues: zip(eval.outputNames, outputs))
      let gradLogp = try #require(named["grad_logp"])
      #expect(gradLogp.scalars.contains { $0 != 0 }, "\(recipe) \(overrides): eval's gradient is zero; the comparison says nothing")
      #expect(isClose(trained.loss, Double(try #require(named["loss"]).scalar), rtol: 1e-4, atol: 1e-6), "\(recipe) \(overrides) loss")
      for (name, value) in trained.terms {
        #expect(isClose(value, Double(try #require(named["terms.\(name)"]).scalar), rtol: 1e-4, atol: 1e-6), "\(recipe) \(overrides) \(name)")
      }
      let (_, seeded) = try forward.gradient(parameters, batch, gradLogp: gradLogp, gradValue: named["grad_value_pred"])
      var worst = 0.0
      for (a, b) in zip(trained.gradients, seeded) {
        for (x, y) in zip(a.scalars, b.scalars) {
          worst = max(worst, abs(Double(x) - Double(y)) / (1e-5 + 1e-3 * abs(Double(y))))
        }
      }
      #expect(worst <= 1, "\(recipe) \(overrides) minibatch \(m): gradients differ beyond tolerance (\(worst)×)")
    }
  }
}
