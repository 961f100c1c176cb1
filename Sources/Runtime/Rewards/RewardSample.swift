/// One sample to score: its problem, the decoded completion, its length in tokens (EOS
/// included), whether it hit max_tokens without EOS, and its group (the prompt's index in the
/// batch).
public struct RewardSample: Sendable {
  /// The problem the completion answers.
  public var problem: TaskProblem
  /// The decoded response, EOS excluded.
  public var completion: String
  /// The response's length in tokens, EOS included.
  public var length: Int
  /// Whether the response reached `rollout.max_tokens` without an EOS.
  public var truncated: Bool
  /// The group (prompt) index within the batch.
  public var group: Int

  public init(problem: TaskProblem, completion: String, length: Int, truncated: Bool, group: Int) {
    self.problem = problem
    self.completion = completion
    self.length = length
    self.truncated = truncated
    self.group = group
  }
}
