import Core

/// One unit of preference data for a token policy: a prompt and its responses, in the
/// layout of the loss's format (BLOCKS.md §5):
///
/// - pairs: `responses = [chosen, rejected]`;
/// - unpaired (KTO): `responses = [completion]` with `desirable`;
/// - lists (LiPO, PRO): K responses with their `scores` (the task's partial credit).
///
/// Responses are token ids with EOS when the policy stopped (or the data file's text + EOS).
public struct PreferenceExample: Sendable, Equatable, Codable {
  /// BOS + the prompt's tokens.
  public var prompt: [Int32]
  public var responses: [[Int32]]
  /// The verifier's score of each response (pairs: chosen's above rejected's).
  public var scores: [Double]
  /// KTO's label: whether the completion is desirable.
  public var desirable: Bool
  /// The problem the prompt came from, when built from a task.
  public var problem: TaskProblem?

  public init(prompt: [Int32], responses: [[Int32]], scores: [Double], desirable: Bool = true, problem: TaskProblem? = nil) {
    (self.prompt, self.responses, self.scores, self.desirable, self.problem) = (prompt, responses, scores, desirable, problem)
  }

  /// A pair: chosen above rejected.
  public static func pair(prompt: [Int32], chosen: [Int32], rejected: [Int32], scores: (Double, Double) = (1, 0),
                          problem: TaskProblem? = nil) -> PreferenceExample {
    PreferenceExample(prompt: prompt, responses: [chosen, rejected], scores: [scores.0, scores.1], problem: problem)
  }
}
