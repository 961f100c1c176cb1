import Blocks
import Recipe
import Testing

/// `PolicyCompiler`: record parameters reach the typed blocks.
@Suite struct PolicyCompilerTests {
  @Test("kl.adaptive {target, horizon} reaches KLPenalty; absent, it is nil")
  func adaptiveKL() throws {
    let adaptive = RecipeEval.check(recipe: "grpo", overrides: ["objective.kl.adaptive.target=6"])
    #expect(try PolicyCompiler.recipe(from: adaptive).kl?.adaptive == KLPenalty.Adaptive(target: 6, horizon: 10000))
    let horizon = RecipeEval.check(recipe: "grpo", overrides: ["objective.kl.adaptive.target=0.1", "objective.kl.adaptive.horizon=500"])
    #expect(try PolicyCompiler.recipe(from: horizon).kl?.adaptive == KLPenalty.Adaptive(target: 0.1, horizon: 500))
    let fixed = RecipeEval.check(recipe: "grpo")
    let kl = try #require(try PolicyCompiler.recipe(from: fixed).kl)
    #expect(kl.adaptive == nil && kl.coefficient == 0.04)
  }
}

/// `explain` and `graph` draw recipes that need a proximal policy or whole distributions.
@Suite struct ProgramTextTests {
  @Test("kl estimator full and ratio proximal ewma compile for explain, with only the inputs they need")
  func distributions() throws {
    let full = try RecipeProgramText.program(of: RecipeEval.check(recipe: "grpo", overrides: ["objective.kl.estimator=full"]))
    #expect(full.caption.hasSuffix(", distributions over a vocabulary of 3"))
    let names = full.graph.inputNames
    #expect(names.contains("logp_full") && names.contains("ref_logp_full") && !names.contains("old_logp_full"), "\(names)")
    let proximal = try RecipeProgramText.program(of: RecipeEval.check(recipe: "ppo", overrides: ["objective.ratio.proximal=ewma"]))
    #expect(proximal.graph.inputNames.contains("prox_logp"))
  }
}
