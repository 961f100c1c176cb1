import Recipe

extension BenchmarkSuite {
  /// Checking recipes: what `porecipe check` costs per 1,000 files after start-up.
  static var check: [Benchmark] { [checkRecipes] }

  /// Loads, composes (each extends the built-in grpo) and checks 1,000 in-memory recipes.
  static var checkRecipes: Benchmark { Benchmark(
    name: "check_1000_recipes", unit: .milliseconds, workPerCall: 1000, iterations: 1
  ) {
    let texts = (0..<1000).map { i in
      """
      extends: grpo
      objective:
        clip: {low: 0.2, high: \(0.2 + Double(i % 10) / 100)}
      rollout: {prompts: 16, group: \(4 + i % 4), max_tokens: 16}
      train: {iterations: \(100 + i), epochs: 1, minibatches: 2, seed: \(i)}
      """
    }
    return {
      var loader = RecipeLoader()
      for (i, text) in texts.enumerated() {
        let loaded = loader.load(text: text, name: "bench/\(i).yaml")
        _ = RecipeChecker().check(loaded)
      }
    }
  } }
}
