import Recipe
import TestSupport
import Testing

/// `porecipe explain RECIPE`: every resolved value with its origin, and the method in words.
@Suite struct RecipeExplanationTests {
  @Test("explain dapo: stages, no KL, token_mean, and every value with its origin")
  func dapo() throws {
    let report = RecipeExplanation.run("dapo")
    #expect(report.exitCode == 0)
    #expect(report.messages.isEmpty)
    try Golden.expect(report.output, matches: "explain-dapo.txt")
  }

  @Test("explain ppo: an environment task, a critic and no reward blocks")
  func ppo() throws {
    try Golden.expect(RecipeExplanation.run("ppo").output, matches: "explain-ppo.txt")
  }

  @Test("origins: this file with line and column, a built-in parent, --set, a default, a default that follows another value")
  func origins() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("mine.yaml", "extends: grpo\nobjective:\n  clip: {low: 0.25}\n")
    let output = RecipeExplanation.run(path, overrides: ["objective.kl.coef=0.01"]).output
    let lines = output.split(separator: "\n").map { $0.replacingOccurrences(of: "  +#", with: " #", options: .regularExpression) }
    #expect(lines.contains("  objective.clip.low = 0.25 # \(path):3:15"))
    #expect(lines.contains("  objective.clip.high = 0.25 # default: same as objective.clip.low"))
    #expect(lines.contains("  objective.kl.coef = 0.01 # --set"))
    #expect(lines.contains("  objective.kl.estimator = k3 # grpo (built-in):19:19"))
    #expect(lines.contains("  objective.kl.against = ref # default"))
    #expect(lines.contains("  recipe = mine # default"))
    #expect(output.hasPrefix("recipe mine (\(path)), extends grpo (built-in)\n"))
  }

  @Test("where KL enters", arguments: zip(
    ["grpo", "rloo", "dapo", "dpo"],
    ["in the loss — 0.04 · k3(logp - ref_logp), aggregated like the policy loss (seq_mean_token_mean)",
     "in the reward — 0.05 · k1(old_logp - ref_logp) is subtracted from each token's reward before the advantage",
     "none — no objective.kl, so KL enters neither the reward nor the loss",
     "implicit in the dpo loss, β = 1; no kl slot"]))
  func kl(recipe: String, expected: String) {
    #expect(RecipeExplanation.run(recipe).output.contains("\nkl         \(expected)\n"))
  }

  @Test("a KL slot with coefficient 0 adds nothing, and explain says so")
  func zeroCoefficient() {
    let output = RecipeExplanation.run("grpo", overrides: ["objective.kl.coef=0"]).output
    #expect(output.contains("\nkl         none — objective.kl is on but its coef is 0, so it adds nothing\n"))
  }

  @Test("which aggregation", arguments: zip(
    ["grpo", "dapo", "rloo", "dr_grpo"],
    ["seq_mean_token_mean — mean over sequences of each one's token mean: a long response's tokens weigh less (as in GRPO)",
     "token_mean — Σ mask·ℓ / Σ mask: every token of the minibatch weighs the same (as in DAPO)",
     "seq_mean_token_sum — mean over sequences of each one's token sum: long responses weigh more (as in RLOO)",
     "seq_mean_token_sum_norm — Σ mask·ℓ / (sequences · 16): a constant denominator (as in Dr. GRPO)"]))
  func aggregate(recipe: String, expected: String) {
    #expect(RecipeExplanation.run(recipe).output.contains("\naggregate  \(expected)\n"))
  }

  @Test("an absent aggregate slot is explicit as its default")
  func absentAggregate() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("plain.yaml", "extends: grpo\nobjective:\n  aggregate: none\n")
    let output = RecipeExplanation.run(path).output
    #expect(output.contains("  objective.aggregate.mode = token_mean"))
    #expect(output.contains("# default (slot not written)\n"))
  }

  @Test("--format json: the same explanation as one object, each origin typed")
  func json() throws {
    let output = RecipeExplanation.run("rloo", overrides: ["objective.kl.coef=0.1"], format: .json).output
    #expect(output.hasPrefix("{\n  \"recipe\": \"rloo\",\n  \"file\": \"<builtin>/rloo.yaml\",\n  \"extends\": [\n    \"<builtin>/grpo.yaml\"\n  ],\n"))
    for fragment in [
      "\"kl\": \"in the reward — 0.1 · k1(old_logp - ref_logp) is subtracted from each token's reward before the advantage\"",
      "\"path\": \"objective.kl.coef\",\n      \"value\": 0.1,\n      \"origin\": {\n        \"kind\": \"set\",\n        \"file\": \"<command line>\",",
      "\"path\": \"objective.clip.high\",\n      \"value\": 0.2,\n      \"origin\": {\n        \"kind\": \"derived\",\n        \"from\": \"objective.clip.low\"\n      }",
      "\"path\": \"objective.kl.in\",\n      \"value\": \"reward\",\n      \"origin\": {\n        \"kind\": \"builtin\",\n        \"file\": \"<builtin>/rloo.yaml\",",
    ] {
      #expect(output.contains(fragment), "\(fragment)")
    }
  }

  @Test("a recipe with errors prints them as check does and exits 1; an unknown one exits 2")
  func failures() {
    let bad = RecipeExplanation.run("grpo", overrides: ["objective.clip.hihg=0.3"])
    #expect(bad.exitCode == 1)
    #expect(bad.output.hasPrefix("<command line>:1:22: error: unknown path 'objective.clip.hihg': no 'hihg' in objective.clip; did you mean 'high'?\n"))
    #expect(RecipeExplanation.run("nope").exitCode == 2)
  }
}
