import Core

/// Sort a short list: `"sort:dbca="` → `"abcd"`.
///
/// Items are drawn uniformly, with repetition, from the first `alphabet` symbols: digits
/// `0…9` when `alphabet ≤ 10`, else letters `a…z`. The answer is the items in ascending
/// order; every prompt has `length + 6` characters. A completion is correct when it equals the
/// answer (spaces trimmed). With `partialCredit` the reward is the fraction of positions right,
/// over the longer of completion and answer (so extra or missing items count as wrong), and
/// `correct` still needs an exact match.
///
/// Held out: 500 problems, or a tenth of `alphabet^length` when that is smaller, from the
/// fixed seed `heldOutSeed`.
public struct SortingTask: TokenTask {
  /// The seed of the held-out split, the same for every run.
  public static let heldOutSeed: UInt64 = 0x5027_0001
  public let name = "sorting"
  /// Items per list, 2–16.
  public let length: Int
  /// Distinct items, 2–26.
  public let alphabet: Int
  /// Whether `score` gives graded rewards.
  public let partialCredit: Bool
  public var maxPromptLength: Int { length + 6 }
  public var maxSolutionLength: Int { length }
  private let split: HeldOutSplit

  /// - Throws: `RuntimeError.invalidTask` for `length` outside 2–16 or `alphabet` outside 2–26.
  public init(length: Int, alphabet: Int, partialCredit: Bool) throws(RuntimeError) {
    guard (2...16).contains(length) else { throw .invalidTask(reason: "sorting.length must be 2 to 16, got \(length)") }
    guard (2...26).contains(alphabet) else { throw .invalidTask(reason: "sorting.alphabet must be 2 to 26, got \(alphabet)") }
    self.length = length
    self.alphabet = alphabet
    self.partialCredit = partialCredit
    var space = 1
    for _ in 0..<length where space < 1_000_000 { space *= alphabet }
    split = HeldOutSplit(seed: SortingTask.heldOutSeed, count: HeldOutSplit.count(forSpace: space),
                         SortingTask.generator(length: length, alphabet: alphabet))
  }

  public var heldOut: [TaskProblem] { split.problems }

  // NOTE: `partialCredit` grades rewards only; `correct` (what the warm start stops on) is an exact match either way.
  public var canonicalDescription: String { "sorting alphabet=\(alphabet) length=\(length)" }

  public func trainingProblem(rng: inout Philox) -> TaskProblem {
    split.trainingProblem(rng: &rng, SortingTask.generator(length: length, alphabet: alphabet))
  }

  public func solution(for problem: TaskProblem, rng: inout Philox) -> String? { problem.answer }

  public func score(_ completion: String, for problem: TaskProblem) -> TaskScore {
    guard let answer = problem.answer else { return .wrong }
    let fraction = SortingTask.positionsRight(completion.trimmingSpaces, answer)
    let correct = completion.trimmingSpaces == answer
    return TaskScore(reward: partialCredit ? fraction : (correct ? 1 : 0), correct: correct)
  }

  public func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer {
    .graded(SortingTask.positionsRight(completion.trimmingSpaces, problem.answer ?? ""))
  }

  /// The problem of sorting `items` (symbols of the vocabulary).
  public static func problem(_ items: String) -> TaskProblem {
    TaskProblem(prompt: "sort:\(items)=", answer: String(items.sorted()))
  }

  /// The share of positions where `completion` and `answer` agree, over the longer of the two.
  static func positionsRight(_ completion: String, _ answer: String) -> Double {
    let total = max(completion.count, answer.count)
    guard total > 0 else { return 1 }
    return Double(zip(completion, answer).filter { $0 == $1 }.count) / Double(total)
  }

  private static func generator(length: Int, alphabet: Int) -> (inout Philox) -> TaskProblem {
    let symbols = Array(alphabet <= 10 ? "0123456789" : "abcdefghijklmnopqrstuvwxyz")
    return { rng in problem(String((0..<length).map { _ in symbols[rng.integer(below: alphabet)] })) }
  }
}
