import Core

/// Countdown (as in TinyZero): reach a target from a few numbers with `+ - * /`.
///
///     prompt:      "3,7,25>46:"          numbers, ">", the target, ":"
///     completion:  "25+3*7"               any expression over the numbers (CountdownExpression)
///
/// A completion is correct iff it is a valid expression that uses each given number at most
/// once (a number given twice may be used twice) and evaluates exactly to the target;
/// intermediate results may be fractions. Anything else scores 0. `partialAnswer` gives the
/// expression's value, for `partial_credit` by distance from the target.
///
/// Problems are built backwards so a solution is always known: draw `numbers` integers in
/// `1...maxNumber` (`maxNumber = min(99, max(9, maxTarget))`), combine a random subset of at
/// least two of them with random operators, keeping every intermediate a positive integer,
/// and take the result as the target when it is in `1...maxTarget` and not one of the
/// numbers. That expression is the problem's `answer` and its `solution`;
/// `data` is `[target] + numbers`.
///
/// Held out: 500 problems from the fixed seed `heldOutSeed`, or a tenth of the distinct
/// problems seen in 5000 draws when fewer than 4500 of them are distinct (a small space).
/// - Paper: the task of TinyZero (Pan et al. 2025) after the Countdown game show.
public struct CountdownTask: TokenTask {
  /// The seed of the held-out split, the same for every run.
  public static let heldOutSeed: UInt64 = 0xC0DE_0001
  public let name = "countdown"
  /// Numbers given per prompt, 2–6.
  public let numbers: Int
  /// The largest target.
  public let maxTarget: Int
  /// The largest number given.
  public let maxNumber: Int
  public let maxPromptLength: Int
  public let maxSolutionLength: Int
  private let split: HeldOutSplit

  /// - Throws: `RuntimeError.invalidTask` for `numbers` outside 2–6 or `maxTarget` outside
  ///   1–999999.
  public init(numbers: Int, maxTarget: Int) throws(RuntimeError) {
    guard (2...6).contains(numbers) else { throw .invalidTask(reason: "countdown.numbers must be 2 to 6, got \(numbers)") }
    guard (1...999_999).contains(maxTarget) else {
      throw .invalidTask(reason: "countdown.max_target must be 1 to 999999, got \(maxTarget)")
    }
    self.numbers = numbers
    self.maxTarget = maxTarget
    maxNumber = min(99, max(9, maxTarget))
    let width = String(maxNumber).count
    maxPromptLength = numbers * width + (numbers - 1) + 1 + String(maxTarget).count + 1
    // numbers, operators, and a pair of parentheses around each operation but the outermost
    maxSolutionLength = numbers * width + (numbers - 1) + 2 * max(0, numbers - 2)
    let generate = CountdownTask.generator(numbers: numbers, maxTarget: maxTarget, maxNumber: maxNumber)
    let distinct = HeldOutSplit.distinctPrompts(seed: CountdownTask.heldOutSeed, draws: 5000, generate)
    // NOTE: when nearly every draw is new, the space is far larger than 5000 problems.
    let space = distinct >= 4500 ? Int.max : distinct
    split = HeldOutSplit(seed: CountdownTask.heldOutSeed, count: HeldOutSplit.count(forSpace: space), generate)
  }

  public var heldOut: [TaskProblem] { split.problems }

  public var canonicalDescription: String { "countdown max_target=\(maxTarget) numbers=\(numbers)" }

  public func trainingProblem(rng: inout Philox) -> TaskProblem {
    split.trainingProblem(rng: &rng, CountdownTask.generator(numbers: numbers, maxTarget: maxTarget, maxNumber: maxNumber))
  }

  public func solution(for problem: TaskProblem, rng: inout Philox) -> String? {
    guard let answer = problem.answer, score(answer, for: problem).correct else { return nil }
    return answer
  }

  public func score(_ completion: String, for problem: TaskProblem) -> TaskScore {
    guard let value = value(of: completion, for: problem), value == Rational(problem.data.first ?? 0) else { return .wrong }
    return .right
  }

  public func partialAnswer(_ completion: String, for problem: TaskProblem) -> PartialAnswer {
    .numeric(value(of: completion, for: problem)?.doubleValue, reference: Double(problem.data.first ?? 0))
  }

  /// The problem with these numbers and target, and a known solution when there is one.
  public static func problem(numbers: [Int], target: Int, solution: String?) -> TaskProblem {
    TaskProblem(prompt: numbers.map(String.init).joined(separator: ",") + ">\(target):", answer: solution,
                data: [target] + numbers)
  }

  /// The completion's exact value, when it is a valid expression over the problem's numbers.
  private func value(of completion: String, for problem: TaskProblem) -> Rational? {
    guard let evaluation = CountdownExpression.evaluate(completion) else { return nil }
    var available = Array(problem.data.dropFirst())
    for number in evaluation.numbers {
      guard let index = available.firstIndex(of: number) else { return nil }
      available.remove(at: index)
    }
    return evaluation.value
  }

  // MARK: - Generation

  /// A partial expression while building a problem: its value, text and binding strength
  /// (3 a number, 2 a product or quotient, 1 a sum or difference).
  private struct Piece {
    var value: Int
    var text: String
    var precedence: Int
  }

  private static func generator(numbers count: Int, maxTarget: Int, maxNumber: Int) -> (inout Philox) -> TaskProblem {
    { rng in
      var attempts = 0
      while true {
        attempts += 1
        let numbers = (0..<count).map { _ in 1 + rng.integer(below: maxNumber) }
        let used = 2 + rng.integer(below: count - 1)
        var pieces = rng.permutation(count).prefix(used).map { Piece(value: numbers[$0], text: String(numbers[$0]), precedence: 3) }
        while pieces.count > 1 {
          let i = rng.integer(below: pieces.count)
          var j = rng.integer(below: pieces.count - 1)
          if j >= i { j += 1 }
          guard let combined = combine(pieces[i], pieces[j], operation: rng.integer(below: 4)) else { continue }
          pieces[min(i, j)] = combined
          pieces.remove(at: max(i, j))
        }
        let target = pieces[0].value
        // NOTE: a target equal to a given number has a one-number answer; allowed only if 1000
        // draws in a row found nothing else (a degenerate max_target).
        if (1...maxTarget).contains(target), attempts > 1000 || !numbers.contains(target) {
          return problem(numbers: numbers, target: target, solution: pieces[0].text)
        }
      }
    }
  }

  /// `a op b` with op 0 `+`, 1 `-`, 2 `*`, 3 `/`, when the result is a positive integer and the
  /// step is not trivial (no `/ 1`); nil otherwise.
  private static func combine(_ a: Piece, _ b: Piece, operation: Int) -> Piece? {
    let symbol: Character = ["+", "-", "*", "/"][operation]
    let precedence = operation < 2 ? 1 : 2
    let value: Int
    switch operation {
    case 0: value = a.value + b.value
    case 1:
      guard a.value > b.value else { return nil }
      value = a.value - b.value
    case 2: value = a.value * b.value
    default:
      guard b.value > 1, a.value % b.value == 0 else { return nil }
      value = a.value / b.value
    }
    guard value <= 1_000_000 else { return nil }
    let left = a.precedence < precedence ? "(\(a.text))" : a.text
    // the right operand needs parentheses at equal strength under - and /: a-(b+c), a/(b*c)
    let right = b.precedence < precedence || (b.precedence == precedence && (symbol == "-" || symbol == "/"))
      ? "(\(b.text))" : b.text
    return Piece(value: value, text: left + String(symbol) + right, precedence: precedence)
  }
}
