import Core
import Runtime
import Testing
import TestSupport

@Suite struct CountdownTaskTests {
  @Test("prompts list the numbers and the target; the known solution reaches it", arguments: [2, 3, 4, 6])
  func solutions(numbers: Int) throws {
    let task = try CountdownTask(numbers: numbers, maxTarget: 50)
    for seed in 0..<10 as Range<UInt64> {
      var rng = Philox(seed: seed)
      for _ in 0..<100 {
        let problem = task.trainingProblem(rng: &rng)
        #expect(problem.data.count == numbers + 1)
        let target = problem.data[0]
        #expect((1...50).contains(target) && !problem.data.dropFirst().contains(target))
        #expect(problem.prompt == problem.data.dropFirst().map(String.init).joined(separator: ",") + ">\(target):")
        #expect(problem.prompt.count <= task.maxPromptLength)
        let solution = try #require(task.solution(for: problem, rng: &rng))
        #expect(solution.count <= task.maxSolutionLength, "\(solution)")
        #expect(task.score(solution, for: problem) == .right, "\(problem.prompt) \(solution)")
        #expect(try TokenVocabulary.encode(problem.prompt + solution).count > 0)
      }
    }
  }

  @Test("any valid expression that reaches the target counts; others score 0")
  func verifier() throws {
    let task = try CountdownTask(numbers: 3, maxTarget: 50)
    let problem = CountdownTask.problem(numbers: [3, 7, 25], target: 46, solution: "25+3*7")
    #expect(problem.prompt == "3,7,25>46:")
    for right in ["25+3*7", "3*7+25", "(7*3)+25", " 25 + 7 * 3 ", "((25))+(3*(7))"] {
      #expect(task.score(right, for: problem) == .right, "\(right)")
    }
    let wrong = [
      "25+7+3",            // 35
      "25+3*7+3",          // uses 3 twice
      "25+21",             // 21 is not given
      "46",                // not given
      "25+3*7=46",         // not an expression
      "-3+25",             // no unary minus
      "25+03*7",           // leading zero
      "", "(", "()", "25+", "3*/7", "25 3", "(25+3*7", "25+3*7)", "7/0",
    ]
    for completion in wrong { #expect(task.score(completion, for: problem) == .wrong, "\(completion)") }
    // fractions in between are allowed: (7/2)·4 = 14
    let fraction = CountdownTask.problem(numbers: [7, 2, 4], target: 14, solution: nil)
    #expect(task.score("7/2*4", for: fraction) == .right)
    #expect(task.score("(7-7)/2", for: CountdownTask.problem(numbers: [7, 7, 2], target: 0, solution: nil)) == .right)
    #expect(task.score("7/(2-2)", for: CountdownTask.problem(numbers: [7, 2, 2], target: 1, solution: nil)) == .wrong)
    #expect(task.partialAnswer("25+7+3", for: problem) == .numeric(35, reference: 46))
    #expect(task.partialAnswer("25+x", for: problem) == .numeric(nil, reference: 46))
  }

  @Test("the parser never traps: 20000 random strings score 0 or 1")
  func fuzz() throws {
    let task = try CountdownTask(numbers: 4, maxTarget: 50)
    let problem = CountdownTask.problem(numbers: [99, 99, 98, 97], target: 1, solution: "99-98")
    let expressionCharacters = Array("0123456789+-*/() 99")
    var random = TestRandom(seed: 7)
    var right = 0
    for trial in 0..<20_000 {
      let alphabet = trial % 2 == 0 ? expressionCharacters : TokenVocabulary.characters
      let length = Int(random.next() % 40)
      let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
      let score = task.score(text, for: problem)
      #expect(score == .right || score == .wrong)
      if score.correct { right += 1 }
    }
    // deep nesting, huge numbers and overflowing products are invalid, not crashes
    #expect(task.score(String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000), for: problem) == .wrong)
    #expect(task.score("99999999999999999999", for: problem) == .wrong)
    let big = CountdownTask.problem(numbers: [999_999, 999_999, 999_999, 999_999], target: 1, solution: nil)
    #expect(task.score("999999*999999*999999*999999", for: big) == .wrong)
    #expect(task.score("999999/999999", for: big) == .right)
    #expect(right >= 0)
  }

  @Test("held out: 500 problems fixed by the task's seed; training never yields one")
  func heldOut() throws {
    let task = try CountdownTask(numbers: 3, maxTarget: 50)
    #expect(task.heldOut.count == 500)
    #expect(try CountdownTask(numbers: 3, maxTarget: 50).heldOut == task.heldOut)
    let held = Set(task.heldOut.map(\.prompt))
    var a = Philox(seed: 1), b = Philox(seed: 1)
    for _ in 0..<3000 {
      let problem = task.trainingProblem(rng: &a)
      #expect(!held.contains(problem.prompt))
      #expect(problem == task.trainingProblem(rng: &b))
    }
  }

  @Test("the held-out split is pinned: changing the generator or its seed fails here")
  func pinned() throws {
    let problems = try CountdownTask(numbers: 3, maxTarget: 50).heldOut.prefix(3)
    #expect(problems.map(\.prompt) == ["37,50,39>13:", "27,13,9>3:", "4,18,6>2:"])
    #expect(problems.map(\.answer) == ["50-37", "27/9", "6-4"])
  }

  @Test("a tiny problem space keeps at most a tenth held out and still trains")
  func tinySpace() throws {
    let task = try CountdownTask(numbers: 2, maxTarget: 1)
    var rng = Philox(seed: 0)
    var seen = Set<String>()
    for _ in 0..<2000 { seen.insert(task.trainingProblem(rng: &rng).prompt) }
    #expect(task.heldOut.count >= 1)
    #expect(task.heldOut.count * 9 <= seen.count)
  }

  @Test("bad parameters are errors")
  func badParameters() {
    #expect(throws: RuntimeError.self) { try CountdownTask(numbers: 1, maxTarget: 50) }
    #expect(throws: RuntimeError.self) { try CountdownTask(numbers: 7, maxTarget: 50) }
    #expect(throws: RuntimeError.self) { try CountdownTask(numbers: 3, maxTarget: 0) }
  }
}
