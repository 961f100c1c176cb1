/// HAPO's per-prompt memory: the shortest correct response length seen so far for each prompt.
///
/// Updated after each batch is scored, so a batch is judged against what came before it
/// (with `first_correct`, a prompt's first correct batch also sets the history before it is
/// scored). Saved in checkpoints through `RewardPipeline.state`.
/// - Paper: HAPO, Huang et al. 2025, "HAPO: Training language models to reason concisely via
///   history-aware policy optimization" (arXiv:2505.11225).
struct LengthHistory: Sendable, Equatable, Codable {
  /// The shortest correct length in tokens (EOS included), by prompt.
  var shortest: [String: Int] = [:]

  /// The shortest correct length per prompt among `samples`.
  static func shortestCorrect(_ samples: [RewardSample], correct: [Bool]) -> [String: Int] {
    var result: [String: Int] = [:]
    for (sample, isCorrect) in zip(samples, correct) where isCorrect {
      result[sample.problem.prompt] = min(result[sample.problem.prompt] ?? .max, sample.length)
    }
    return result
  }

  /// Lowers each prompt's history to the batch's shortest correct length.
  mutating func update(with batch: [String: Int]) {
    for (prompt, length) in batch { shortest[prompt] = min(shortest[prompt] ?? .max, length) }
  }

  /// Sets the history of prompts that have none from the batch (`first_correct`).
  mutating func start(with batch: [String: Int]) {
    for (prompt, length) in batch where shortest[prompt] == nil { shortest[prompt] = length }
  }
}
