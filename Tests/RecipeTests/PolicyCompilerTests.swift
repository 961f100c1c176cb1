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
