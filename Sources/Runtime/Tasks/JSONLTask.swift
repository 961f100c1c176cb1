import Core
import Foundation

/// A user's own prompts from a JSON-lines file (`task: {jsonl: {path, prompt_key, answer_key}}`).
///
/// Each non-blank line is a JSON object with the prompt (a string) under `promptKey` and,
/// optionally, the reference answer (a string or a number) under `answerKey`: either every
/// line has an answer or none does. With answers, a completion is correct when it equals the
/// answer with leading and trailing spaces and newlines trimmed; without, the task cannot
/// verify (`canVerify` is false) and rewards come from `reward.command` or `reward.format`.
/// Prompts and answers must be written in `TokenVocabulary` characters (lowercase).
///
/// Held out: `heldOutFraction` of the lines, chosen by a permutation from the fixed seed
/// `heldOutSeed` (the same for every run); a prompt that also appears on a training line is
/// not trained on.
public struct JSONLTask: TokenTask {
  /// The seed of the held-out split, the same for every run.
  public static let heldOutSeed: UInt64 = 0x150A_0001
  public let name = "jsonl"
  /// The file, as given.
  public let path: String
  public let maxPromptLength: Int
  public let maxSolutionLength: Int
  public let heldOut: [TaskProblem]
  public let canVerify: Bool
  private let training: [TaskProblem]
  /// The 1-based line of the longest prompt, for `checkFits`.
  private let longestPromptLine: Int

  /// Reads and checks the whole file.
  /// - Parameters:
  ///   - path: the file (the trainer resolves it relative to the recipe).
  ///   - promptKey: the key of the prompt.
  ///   - answerKey: the key of the reference answer; nil when the file has none.
  ///   - heldOutFraction: the share of lines held out, in [0, 1).
  /// - Throws: `RuntimeError.taskFile` naming the line of a line that is not a JSON object,
  ///   lacks the prompt, has a prompt or answer of the wrong type or with a character outside
  ///   the vocabulary; `RuntimeError.invalidTask` for an unreadable or empty file.
  public init(path: String, promptKey: String, answerKey: String?, heldOutFraction: Double = 0.1) throws(RuntimeError) {
    guard heldOutFraction.isFinite, (0..<1).contains(heldOutFraction) else {
      throw .invalidTask(reason: "the held-out fraction must be in [0, 1), got \(heldOutFraction)")
    }
    guard let data = FileManager.default.contents(atPath: path) else {
      let exists = FileManager.default.fileExists(atPath: path)
      throw .invalidTask(reason: "cannot read \(path): \(exists ? "permission denied or a directory" : "no such file")")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw .invalidTask(reason: "\(path) is not UTF-8 text") }
    self.path = path

    var records: [(line: Int, problem: TaskProblem)] = []
    var firstWithAnswer: Int?
    var firstWithoutAnswer: Int?
    for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 1
      let content = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
      if content.allSatisfy(\.isWhitespace) { continue }
      let problem = try JSONLTask.problem(from: String(content), line: line, path: path, promptKey: promptKey,
                                          answerKey: answerKey)
      if problem.answer == nil { firstWithoutAnswer = firstWithoutAnswer ?? line } else { firstWithAnswer = firstWithAnswer ?? line }
      records.append((line, problem))
    }
    guard !records.isEmpty else { throw .invalidTask(reason: "\(path) has no prompts") }
    if let answerKey, let firstWithAnswer, let firstWithoutAnswer {
      throw .taskFile(path: path, line: firstWithoutAnswer,
                      reason: "no \(answerKey.debugDescription) key, but line \(firstWithAnswer) has one; give every line an answer or none")
    }
    canVerify = firstWithAnswer != nil

    let longest = records.max { $0.problem.prompt.count < $1.problem.prompt.count }
    maxPromptLength = longest?.problem.prompt.count ?? 0
    longestPromptLine = longest?.line ?? 0
    maxSolutionLength = records.map { $0.problem.answer?.count ?? 0 }.max() ?? 0

    var rng = Philox(seed: JSONLTask.heldOutSeed)
    let order = rng.permutation(records.count)
    let heldOutCount = Int(Double(records.count) * heldOutFraction)
    heldOut = order.prefix(heldOutCount).sorted().map { records[$0].problem }
    let heldPrompts = Set(heldOut.map(\.prompt))
    training = records.map(\.problem).filter { !heldPrompts.contains($0.prompt) }
    guard !training.isEmpty else {
      throw .invalidTask(reason: "\(path): every prompt is held out; give more lines or a smaller held-out fraction")
    }
  }

  public func trainingProblem(rng: inout Philox) -> TaskProblem {
    training[rng.integer(below: training.count)]
  }

  /// The number of distinct training lines.
  public var trainingCount: Int { training.count }

  /// The problems in file order, not the path: a file edited in place is a new task, a
  /// copy of it the same one.
  public var canonicalDescription: String {
    func lines(_ problems: [TaskProblem]) -> String {
      problems.map { "\($0.prompt.debugDescription) \($0.answer?.debugDescription ?? "nil")\n" }.joined()
    }
    let digest = WarmStartCache.key("training\n" + lines(training) + "held_out\n" + lines(heldOut))
    return "jsonl held_out=\(heldOut.count) problems=\(digest) training=\(training.count)"
  }

  public func solution(for problem: TaskProblem, rng: inout Philox) -> String? { problem.answer }

  public func score(_ completion: String, for problem: TaskProblem) -> TaskScore {
    guard let answer = problem.answer else { return .wrong }
    return completion.trimmingSpaces == answer.trimmingSpaces ? .right : .wrong
  }

  public func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer {
    guard let reference = problem.answer.flatMap({ Double($0.trimmingSpaces) }) else {
      return .graded(score(completion, for: problem).reward)
    }
    return .numeric(Double(completion.trimmingSpaces), reference: reference)
  }

  public func checkFits(context: Int, maxTokens: Int) throws(RuntimeError) {
    let needed = 1 + maxPromptLength + maxTokens
    if needed > context {
      throw .taskFile(path: path, line: longestPromptLine,
                      reason: "the prompt has \(maxPromptLength) characters; with BOS and rollout.max_tokens \(maxTokens) "
                        + "that is \(needed) tokens, more than the policy's context \(context)")
    }
  }

  /// The problem on one line of the file.
  private static func problem(from text: String, line: Int, path: String, promptKey: String,
                              answerKey: String?) throws(RuntimeError) -> TaskProblem {
    guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
      throw .taskFile(path: path, line: line, reason: "not a JSON object: \(TokenVocabulary.quoted(text))")
    }
    guard let value = object[promptKey] else {
      let keys = object.keys.sorted().map(\.debugDescription).joined(separator: ", ")
      throw .taskFile(path: path, line: line, reason: "no \(promptKey.debugDescription) key (the line has \(keys.isEmpty ? "none" : keys))")
    }
    guard let prompt = value as? String, !prompt.isEmpty else {
      throw .taskFile(path: path, line: line, reason: "\(promptKey.debugDescription) must be a non-empty string")
    }
    try checkVocabulary(prompt, key: promptKey, line: line, path: path)
    var answer: String?
    if let answerKey, let value = object[answerKey], !(value is NSNull) {
      // NOTE: Foundation bridges JSON true/false to NSNumber, which casts to Int; a boolean is
      // told apart by its class.
      let isBoolean = String(describing: type(of: value)).contains("Boolean")
      if let string = value as? String {
        answer = string
      } else if isBoolean {
        throw .taskFile(path: path, line: line, reason: "\(answerKey.debugDescription) must be a string or a number, not a boolean")
      } else if let number = value as? Int {
        answer = String(number)
      } else if let number = value as? Double, number.isFinite {
        answer = String(number)
      } else {
        throw .taskFile(path: path, line: line, reason: "\(answerKey.debugDescription) must be a string or a number")
      }
      try checkVocabulary(answer ?? "", key: answerKey, line: line, path: path)
    }
    return TaskProblem(prompt: prompt, answer: answer)
  }

  private static func checkVocabulary(_ text: String, key: String, line: Int, path: String) throws(RuntimeError) {
    if let character = text.first(where: { !TokenVocabulary.contains($0) }) {
      throw .taskFile(path: path, line: line, reason: "\(key.debugDescription) has \(TokenVocabulary.describe(character)), "
        + "which is not in the token vocabulary (lowercase letters, digits, space, newline and +-*/=(),.:;?<>[]!_'\"#%&)")
    }
  }
}
