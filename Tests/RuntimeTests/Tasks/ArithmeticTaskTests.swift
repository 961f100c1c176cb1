import Core
import Runtime
import Testing

@Suite struct ArithmeticTaskTests {
  @Test("prompts have exactly `digits` digits per operand and the exact answer")
  func format() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+", "-", "*"])
    var rng = Philox(seed: 3)
    for _ in 0..<500 {
      let problem = task.trainingProblem(rng: &rng)
      #expect(problem.prompt.count == 6)
      #expect(problem.prompt.last == "=")
      let body = problem.prompt.dropLast()
      let operation = try #require(body.first { "+-*".contains($0) })
      let parts = body.split(separator: operation).compactMap { Int($0) }
      #expect(parts.count == 2 && parts.allSatisfy { (10...99).contains($0) })
      let expected = operation == "+" ? parts[0] + parts[1] : operation == "-" ? parts[0] - parts[1] : parts[0] * parts[1]
      #expect(problem.answer == String(expected))
      #expect(try TokenVocabulary.encode(problem.prompt).count <= task.maxPromptLength)
      #expect(problem.answer!.count <= task.maxSolutionLength)
    }
    #expect(ArithmeticTask.problem(12, "-", 47).answer == "-35")
    #expect(task.maxSolutionLength == 4)
  }

  @Test("the same seed gives the same problems; another seed, others")
  func determinism() throws {
    let task = try ArithmeticTask(digits: 3, operations: ["+"])
    var a = Philox(seed: 11), b = Philox(seed: 11), c = Philox(seed: 12)
    let first = (0..<50).map { _ in task.trainingProblem(rng: &a) }
    #expect(first == (0..<50).map { _ in task.trainingProblem(rng: &b) })
    #expect(first != (0..<50).map { _ in task.trainingProblem(rng: &c) })
  }

  @Test("held-out split: 500 distinct problems, the same for every instance, never drawn for training")
  func heldOut() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+"])
    #expect(task.heldOut.count == 500)
    #expect(Set(task.heldOut.map(\.prompt)).count == 500)
    #expect(try ArithmeticTask(digits: 2, operations: ["+"]).heldOut == task.heldOut)
    let held = Set(task.heldOut.map(\.prompt))
    for seed in 0..<4 as Range<UInt64> {
      var rng = Philox(seed: seed)
      for _ in 0..<2000 { #expect(!held.contains(task.trainingProblem(rng: &rng).prompt)) }
    }
  }

  @Test("the held-out split is pinned: changing the generator or its seed fails here")
  func pinned() throws {
    #expect(try ArithmeticTask(digits: 2, operations: ["+"]).heldOut.prefix(3).map(\.prompt) == ["60+58=", "53+58=", "30+47="])
  }

  @Test("a small space keeps a tenth held out: 1-digit + has 100 problems, 10 held out")
  func smallSpace() throws {
    let task = try ArithmeticTask(digits: 1, operations: ["+"])
    #expect(task.heldOut.count == 10)
    var rng = Philox(seed: 5)
    var seen = Set<String>()
    for _ in 0..<5000 { seen.insert(task.trainingProblem(rng: &rng).prompt) }
    #expect(seen.count == 90)
  }

  @Test("solutions verify as correct; wrong, padded-out or empty answers do not")
  func verifier() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+", "-", "*"])
    for seed in 0..<20 as Range<UInt64> {
      var rng = Philox(seed: seed)
      for _ in 0..<100 {
        let problem = task.trainingProblem(rng: &rng)
        let solution = try #require(task.solution(for: problem, rng: &rng))
        #expect(task.score(solution, for: problem) == .right)
      }
    }
    let problem = ArithmeticTask.problem(37, "+", 45)
    #expect(problem.prompt == "37+45=")
    #expect(task.score(" 82 ", for: problem) == .right)
    #expect(task.score("83", for: problem) == .wrong)
    #expect(task.score("082", for: problem) == .wrong)
    #expect(task.score("", for: problem) == .wrong)
    #expect(task.score("82=82", for: problem) == .wrong)
    #expect(task.partialAnswer("80", for: problem) == .numeric(80, reference: 82))
    #expect(task.partialAnswer("x", for: problem) == .numeric(nil, reference: 82))
  }

  @Test("bad parameters are errors")
  func badParameters() {
    #expect(throws: RuntimeError.self) { try ArithmeticTask(digits: 0, operations: ["+"]) }
    #expect(throws: RuntimeError.self) { try ArithmeticTask(digits: 10, operations: ["+"]) }
    #expect(throws: RuntimeError.self) { try ArithmeticTask(digits: 2, operations: []) }
    #expect(throws: RuntimeError.self) { try ArithmeticTask(digits: 2, operations: ["/"]) }
    #expect(throws: RuntimeError.self) { try ArithmeticTask(digits: 2, operations: ["+", "+"]) }
  }

  @Test("a prompt that does not fit the context is an error")
  func context() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+"])
    try task.checkFits(context: 23, maxTokens: 16)
    #expect(throws: RuntimeError.self) { try task.checkFits(context: 22, maxTokens: 16) }
  }
}
