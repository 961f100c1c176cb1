/// One problem of a token task: the prompt the policy sees and what its verifier needs.
///
/// Problems are identified by their prompt: the held-out split, the train split's exclusion
/// of held-out problems and per-prompt reward state (HAPO's length history) all key on it.
public struct TaskProblem: Sendable, Hashable, Codable {
  /// What the policy sees, e.g. `"37+45="`, in `TokenVocabulary` characters.
  public var prompt: String
  /// The reference answer when known (arithmetic `"82"`; countdown: one expression that
  /// reaches the target), `nil` otherwise.
  public var answer: String?
  /// Task-specific payload for the verifier (countdown: `[target] + numbers`).
  public var data: [Int]

  public init(prompt: String, answer: String?, data: [Int] = []) {
    self.prompt = prompt
    self.answer = answer
    self.data = data
  }
}

/// A verifier's verdict on one completion.
public struct TaskScore: Sendable, Equatable {
  /// The task's reward in [0, 1]: 1 or 0, or a graded fraction (sorting with partial credit).
  public var reward: Double
  /// Whether the completion is exactly right.
  public var correct: Bool

  public init(reward: Double, correct: Bool) {
    self.reward = reward
    self.correct = correct
  }

  /// Reward 1, correct.
  public static let right = TaskScore(reward: 1, correct: true)
  /// Reward 0, wrong.
  public static let wrong = TaskScore(reward: 0, correct: false)
}

/// What `reward.partial_credit` grades a completion by.
public enum PartialAnswer: Sendable, Equatable {
  /// A task with a numeric answer: the completion's value (`nil` when it has none, which
  /// earns 0) and the reference value; the error modes compare the two.
  case numeric(Double?, reference: Double)
  /// A task without one: its own graded score in [0, 1] (sorting: the fraction of
  /// positions right).
  case graded(Double)
}
