import Core
import Runtime

/// Samples for the 2-digit problem `37+45=` (answer 82) with the given completions, lengths
/// (tokens, EOS included) and truncation flags, all in group 0.
func additionSamples(_ completions: [String], lengths: [Int]? = nil, truncated: [Bool]? = nil,
                     problem: TaskProblem = ArithmeticTask.problem(37, "+", 45)) -> [RewardSample] {
  completions.indices.map { i in
    RewardSample(problem: problem, completion: completions[i], length: lengths?[i] ?? completions[i].count + 1,
                 truncated: truncated?[i] ?? false, group: 0)
  }
}

/// Scores `samples` with a fresh pipeline of `terms` on 2-digit addition.
func scoreAddition(_ terms: [RewardTerm], _ samples: [RewardSample], maxTokens: Int = 16, progress: Double = 0,
                   seed: UInt64 = 0) throws -> RewardScores {
  let pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]), terms: terms, maxTokens: maxTokens)
  var rng = Philox(seed: seed)
  return try pipeline.score(samples, progress: progress, rng: &rng)
}
