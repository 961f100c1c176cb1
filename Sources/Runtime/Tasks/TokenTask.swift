import Core

/// A verifiable token task: seeded problems, a fixed held-out split, a verifier, and known
/// solutions for the warm start.
///
/// Prompts and solutions are written in `TokenVocabulary` characters. The held-out split
/// depends only on the task's parameters and its own fixed seed, never on the run's seed, so
/// runs with different seeds are evaluated on the same problems; `trainingProblem(rng:)`
/// never returns one of them (problems are compared by prompt).
public protocol TokenTask: Sendable {
  /// The recipe's name of the task (`arithmetic`, `countdown`, …).
  var name: String { get }
  /// The longest prompt, in characters (the trainer prepends BOS).
  var maxPromptLength: Int { get }
  /// The longest `solution(for:rng:)`, in characters (the trainer appends EOS); an upper bound.
  var maxSolutionLength: Int { get }
  /// A problem from the train split (never one of the held-out problems).
  func trainingProblem(rng: inout Philox) -> TaskProblem
  /// The held-out split: fixed by the task's own seed and parameters, independent of the run's seed.
  var heldOut: [TaskProblem] { get }
  /// A correct completion (for supervised warm start); nil when the task knows none.
  func solution(for problem: TaskProblem, rng: inout Philox) -> String?
  /// Verifies a completion (the decoded response, EOS excluded).
  func score(_ completion: String, for problem: TaskProblem) -> TaskScore
  /// What `reward.partial_credit` grades; by default the task's own score, graded.
  func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer
  /// Whether `score` can tell right from wrong (a JSONL task without answers cannot; its
  /// rewards must come from `reward.command` or `reward.format`).
  var canVerify: Bool { get }
  /// Throws when a prompt plus `maxTokens` response tokens and BOS do not fit `context`.
  func checkFits(context: Int, maxTokens: Int) throws(RuntimeError)
  /// What decides the task's problems, held-out split, solutions and which answers are
  /// correct, written the same in every process: the name and the generating parameters in
  /// a fixed order (a file task: a digest of its problems, not its path). Options that only
  /// grade a reward (sorting's `partial_credit`) are left out. The task part of the
  /// warm-start cache key (`WarmStartCache.description`).
  var canonicalDescription: String { get }
}

extension TokenTask {
  public func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer {
    .graded(score(completion, for: problem).reward)
  }

  public var canVerify: Bool { true }

  public func checkFits(context: Int, maxTokens: Int) throws(RuntimeError) {
    let needed = 1 + maxPromptLength + maxTokens
    if needed > context {
      throw .invalidTask(reason: "\(name) prompts are up to \(maxPromptLength) characters; with BOS and rollout.max_tokens "
        + "\(maxTokens) that is \(needed) tokens, more than the policy's context \(context)")
    }
  }
}
