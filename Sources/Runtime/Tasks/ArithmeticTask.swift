import Core

/// Multi-digit arithmetic: `"37+45="` → `"82"`, checked exactly.
///
/// Each operand has exactly `digits` digits (0–9 for one digit, `10^(d−1)` to `10^d − 1`
/// otherwise), so every prompt has `2·digits + 2` characters; the operator is drawn uniformly
/// from `operations`. Answers are the exact integer in decimal, negative for `-` when the
/// second operand is larger (`"12-47="` → `"-35"`). A completion is correct when it equals the
/// answer after trimming spaces.
///
/// Held out: 500 problems, or a tenth of a smaller space (2-digit `+` has 90² = 8100 problems,
/// so 500; 1-digit `+` has 100, so 10), from the fixed seed `heldOutSeed`.
public struct ArithmeticTask: TokenTask {
  /// The seed of the held-out split, the same for every run.
  public static let heldOutSeed: UInt64 = 0xA817_0001
  public let name = "arithmetic"
  /// Digits per operand, 1–9.
  public let digits: Int
  /// Operators drawn from: `+`, `-`, `*`.
  public let operations: [Character]
  public let maxPromptLength: Int
  public let maxSolutionLength: Int
  private let split: HeldOutSplit

  /// - Throws: `RuntimeError.invalidTask` for `digits` outside 1–9, no operations, or an
  ///   operator other than `+`, `-`, `*` (or one given twice).
  public init(digits: Int, operations: [Character]) throws(RuntimeError) {
    guard (1...9).contains(digits) else {
      throw .invalidTask(reason: "arithmetic.digits must be 1 to 9, got \(digits)")
    }
    guard !operations.isEmpty else { throw .invalidTask(reason: "arithmetic.operations is empty") }
    for (index, operation) in operations.enumerated() {
      guard "+-*".contains(operation) else {
        throw .invalidTask(reason: "arithmetic.operations: '\(operation)' is not one of '+', '-', '*'")
      }
      guard !operations[..<index].contains(operation) else {
        throw .invalidTask(reason: "arithmetic.operations lists '\(operation)' twice")
      }
    }
    self.digits = digits
    self.operations = operations
    maxPromptLength = 2 * digits + 2
    maxSolutionLength = operations.map { $0 == "*" ? 2 * digits : digits + 1 }.max() ?? digits + 1
    let operands = ArithmeticTask.operandRange(digits: digits).count
    let space = operations.count * operands * operands
    let generate = ArithmeticTask.generator(digits: digits, operations: operations)
    split = HeldOutSplit(seed: ArithmeticTask.heldOutSeed, count: HeldOutSplit.count(forSpace: space), generate)
  }

  public var heldOut: [TaskProblem] { split.problems }

  // NOTE: the operators in their given order: problems draw an index into `operations`.
  public var canonicalDescription: String { "arithmetic digits=\(digits) operations=\(String(operations))" }

  public func trainingProblem(rng: inout Philox) -> TaskProblem {
    split.trainingProblem(rng: &rng, ArithmeticTask.generator(digits: digits, operations: operations))
  }

  public func solution(for problem: TaskProblem, rng: inout Philox) -> String? { problem.answer }

  public func score(_ completion: String, for problem: TaskProblem) -> TaskScore {
    guard let answer = problem.answer else { return .wrong }
    return completion.trimmingSpaces == answer ? .right : .wrong
  }

  public func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer {
    guard let answer = problem.answer.flatMap({ Int($0) }) else { return .graded(0) }
    return .numeric(Int(completion.trimmingSpaces).map(Double.init), reference: Double(answer))
  }

  /// The problem `a op b` (exposed for tests and the preference task).
  public static func problem(_ a: Int, _ operation: Character, _ b: Int) -> TaskProblem {
    let value = switch operation {
    case "-": a - b
    case "*": a * b
    default: a + b
    }
    return TaskProblem(prompt: "\(a)\(operation)\(b)=", answer: String(value), data: [a, b])
  }

  static func operandRange(digits: Int) -> ClosedRange<Int> {
    var low = 1
    for _ in 1..<digits { low *= 10 }
    return digits == 1 ? 0...9 : low...(10 * low - 1)
  }

  private static func generator(digits: Int, operations: [Character]) -> (inout Philox) -> TaskProblem {
    let range = operandRange(digits: digits)
    return { rng in
      let operation = operations[rng.integer(below: operations.count)]
      let a = range.lowerBound + rng.integer(below: range.count)
      let b = range.lowerBound + rng.integer(below: range.count)
      return problem(a, operation, b)
    }
  }
}

extension String {
  /// The string without leading and trailing spaces (the only blank in the vocabulary
  /// besides the newline, which is trimmed too).
  var trimmingSpaces: String {
    var characters = Substring(self)
    while let first = characters.first, first == " " || first == "\n" { characters.removeFirst() }
    while let last = characters.last, last == " " || last == "\n" { characters.removeLast() }
    return String(characters)
  }
}
