import Foundation
@testable import Recipe
import TestSupport
import Testing

/// `porecipe diff A B`: A described as B with changes, over fully resolved recipes.
@Suite struct RecipeDiffTests {
  @Test("diff dapo grpo reads like the DAPO paper's list of changes")
  func dapoFromGRPO() {
    let report = RecipeDiff.run("dapo", "grpo")
    #expect(report.output == """
      dapo is grpo with 6 changes:
      reward
        reward.verifier.fail 0 → -1
        reward.overlong added {max: 16, cache: 4, penalty: 1}
      filter
        filter.dynamic_sampling added {metric: acc}
      objective
        objective.clip.high 0.2 → 0.28
        objective.kl removed
        objective.aggregate seq_mean_token_mean → token_mean

      """)
    #expect(report.messages.isEmpty)
    #expect(report.exitCode == 1)
  }

  @Test("diff simpo dpo and diff dpo simpo both read like the SimPO paper's list of changes")
  func simpoFromDPO() {
    let report = RecipeDiff.run("simpo", "dpo")
    #expect(report.output == """
      simpo is dpo with 1 change:
      objective
        objective dpo → simpo {beta: 2, gamma: 1}
          reference model: π_ref → none
          implicit reward: β·(logp − ref_logp), summed over tokens → β·logp/L, length-normalized
          target margin: none → γ = 1
          scale: β = 1 → β = 2

      """)
    let reverse = RecipeDiff.run("dpo", "simpo")
    #expect(reverse.output == report.output)
    #expect(reverse.exitCode == 1)
  }

  @Test("naming the parent first gives the same list; JSON keeps the order named, removed blocks with the parent's values")
  func grpoFromDAPO() throws {
    #expect(RecipeDiff.run("grpo", "dapo").output == RecipeDiff.run("dapo", "grpo").output)
    let directory = try TemporaryDirectory()
    // A recipe unrelated to grpo by `extends` keeps the order named: grpo described from it.
    let grpo = try String(contentsOf: PackagePaths.recipes.appendingPathComponent("grpo.yaml"), encoding: .utf8)
    let path = try directory.write("standalone.yaml", grpo.replacingOccurrences(of: "recipe: grpo", with: "recipe: standalone")
      .replacingOccurrences(of: "  clip: {low: 0.2}", with: "  clip: {low: 0.2, high: 0.28}")
      .replacingOccurrences(of: "  kl: {estimator: k3, coef: 0.04, in: loss}", with: "  kl: none")
      .replacingOccurrences(of: "  aggregate: seq_mean_token_mean", with: "  aggregate: {mode: seq_mean_token_sum_norm, norm: 16}")
      + "filter:\n  dynamic_sampling: {metric: acc}\n")
    let output = RecipeDiff.run("grpo", path).output
    #expect(output.contains("  objective.kl added {estimator: k3, coef: 0.04, in: loss}\n"))
    #expect(output.contains("  filter.dynamic_sampling removed\n"))
    #expect(output.contains("  objective.clip.high 0.28 → 0.2\n"))
    #expect(output.contains("  objective.aggregate.norm removed (was 16)\n"), "\(output)")
  }

  @Test("a replaced estimator is one line, the KL move is three")
  func rloo() {
    #expect(RecipeDiff.run("rloo", "grpo").output == """
      rloo is grpo with 5 changes:
      advantage
        advantage group_norm → rloo
      objective
        objective.kl.estimator k3 → k1
        objective.kl.coef 0.04 → 0.05
        objective.kl.in loss → reward
        objective.aggregate seq_mean_token_mean → seq_mean_token_sum

      """)
  }

  @Test("Dr. GRPO's constant denominator appears with the aggregation that uses it")
  func drGRPO() {
    #expect(RecipeDiff.run("dr_grpo", "grpo").output == """
      dr_grpo is grpo with 4 changes:
      advantage
        advantage.group_norm.std true → false
      objective
        objective.kl removed
        objective.aggregate seq_mean_token_mean → seq_mean_token_sum_norm
        objective.aggregate.norm added 16

      """)
    #expect(RecipeDiff.run("grpo", "dr_grpo").output == RecipeDiff.run("dr_grpo", "grpo").output)
  }

  @Test("a recipe equals itself: no differences, exit 0")
  func equal() {
    let report = RecipeDiff.run("dapo", "dapo")
    #expect(report == ToolReport(output: "no differences\n", exitCode: 0))
  }

  @Test("writing a default explicitly is no difference; leaving out aggregate is token_mean")
  func defaultsResolve() throws {
    let directory = try TemporaryDirectory()
    let a = try directory.write("a.yaml", "extends: dapo\nobjective:\n  ratio: token\n  clip: {low: 0.2, high: 0.28, dual: null}\n")
    let b = try directory.write("b.yaml", "extends: dapo\nobjective:\n  aggregate: none\n")
    #expect(RecipeDiff.run(a, "dapo").output == "no differences\n")
    #expect(RecipeDiff.run(b, "dapo").output == "no differences\n")
  }

  @Test("a section one recipe leaves out is one line; a schedule and a record are one line each")
  func wholeParts() {
    let output = RecipeDiff.run("ppo", "grpo").output
    #expect(output.contains("  policy.warm_start removed\n"))
    #expect(output.contains("  schedule.lr added {linear: {to: 0}}\n"))
    #expect(RecipeDiff.run("dpo", "grpo").output.contains("rollout\n  rollout removed\n"))
  }

  @Test("formulas, modifiers and a schedule of a dotted path each read as one line")
  func formulasAndModifiers() throws {
    let directory = try TemporaryDirectory()
    // Without a task the recipe is eval's: only the learning rate follows a schedule in runs.
    let path = try directory.write("formula.yaml", """
      extends: grpo
      task: none
      advantage:
        group_norm: none
        expr: "(reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)"
        then: [{batch_norm: {shift: false}}]
      schedule:
        objective.kl.coef: {linear: {to: 0.0}}

      """)
    #expect(RecipeDiff.run(path, "grpo").output == """
      \(path) is grpo with 5 changes:
      task
        task.arithmetic removed
      advantage
        advantage.group_norm removed
        advantage.expr added "(reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)"
        advantage.then added [batch_norm]
      schedule
        schedule.objective.kl.coef added {linear: {to: 0}}

      """)
    #expect(RecipeDiff.run("grpo", path).output == RecipeDiff.run(path, "grpo").output)
  }

  @Test("an eval-only recipe against grpo: whole blocks and records, and no inert aggregate.norm")
  func evalRecipe() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("eval.yaml", "advantage:\n  group_norm: {}\nobjective:\n  clip: {low: 0.2}\n  kl: {coef: 0.04, adaptive: {target: 0.02}}\n")
    #expect(RecipeDiff.run(path, "grpo").output == """
      \(path) is grpo with 9 changes:
      task
        task.arithmetic removed
      policy
        policy.transformer removed
        policy.warm_start removed
      rollout
        rollout removed
      reward
        reward.verifier removed
      objective
        objective.kl.adaptive added {target: 0.02}
        objective.aggregate seq_mean_token_mean → token_mean
      optimizer
        optimizer.adam removed
      train
        train removed

      """)
  }

  @Test("--format json names both recipes and says added for what only A has")
  func json() {
    let output = RecipeDiff.run("cispo", "grpo", format: .json).output
    #expect(output.hasPrefix("{\n  \"a\": \"cispo\",\n  \"b\": \"grpo\",\n  \"equal\": false,\n  \"changes\": [\n"))
    #expect(output.contains("""
            "section": "objective",
            "change": "added",
            "path": "objective.cispo",
            "a": {
              "high": 0.28
            }
      """))
    #expect(RecipeDiff.run("grpo", "grpo", format: .json).output.contains("\"equal\": true,\n  \"changes\": []"))
  }

  @Test("a name that is neither a file nor a built-in recipe exits 2 with a did-you-mean")
  func unknownName() {
    let report = RecipeDiff.run("dapoo", "grpo")
    #expect(report.exitCode == 2)
    let names = BuiltinRecipes.files.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
    #expect(report.output == """
      error: cannot read dapoo: no such file, and no built-in recipe has that name; did you mean 'dapo'?
        = note: the built-in recipes are \(names)


      """)
  }

  @Test("errors in either recipe print as check prints them and stop the diff")
  func errorsStop() throws {
    let directory = try TemporaryDirectory()
    let bad = try directory.write("bad.yaml", "extends: grpo\nobjective:\n  clip: {hihg: 0.28}\n")
    let report = RecipeDiff.run(bad, "grpo")
    #expect(report.exitCode == 1)
    #expect(report.output == """
      \(bad):3:10: error: unknown key 'hihg' in objective.clip; did you mean 'high'?
        |
      3 |   clip: {hihg: 0.28}
        |          ^^^^
        = note: objective.clip accepts 'low', 'high', 'dual', 'delta'


      """)
  }

  @Test("warnings do not stop the diff; they go to standard error")
  func warnings() throws {
    let directory = try TemporaryDirectory()
    let zero = try directory.write("zero.yaml", "extends: grpo\nobjective:\n  kl: {coef: 0.0}\n")
    let report = RecipeDiff.run(zero, "grpo")
    #expect(report.output == "\(zero) is grpo with 1 change:\nobjective\n  objective.kl.coef 0.04 → 0\n")
    #expect(report.messages.contains("warning:"))
  }

  @Test("merged key order keeps both recipes' orders", arguments: zip(
    [[["a", "c"], ["a", "b", "c"]], [["x", "a"], ["a", "y"]], [[], ["p"]]],
    [["a", "b", "c"], ["x", "a", "y"], ["p"]]))
  func mergedKeys(lists: [[String]], expected: [String]) {
    #expect(RecipeDiff.mergedKeys(lists[0], lists[1]) == expected)
  }
}
