import Core
import Runtime
import Testing
import TestSupport

@Suite struct SortingTaskTests {
  @Test("prompts are sort:<items>=, answers the items sorted; digits up to 10 symbols, letters past")
  func format() throws {
    let digits = try SortingTask(length: 5, alphabet: 10, partialCredit: false)
    let letters = try SortingTask(length: 4, alphabet: 26, partialCredit: false)
    var rng = Philox(seed: 2)
    for _ in 0..<200 {
      let problem = digits.trainingProblem(rng: &rng)
      #expect(problem.prompt.count == digits.maxPromptLength)
      #expect(problem.prompt.hasPrefix("sort:") && problem.prompt.hasSuffix("="))
      let items = problem.prompt.dropFirst(5).dropLast()
      #expect(items.allSatisfy { $0.isNumber })
      #expect(problem.answer == String(items.sorted()))
      let lettered = letters.trainingProblem(rng: &rng)
      #expect(lettered.prompt.dropFirst(5).dropLast().allSatisfy { $0.isLetter && $0.isLowercase })
    }
    #expect(SortingTask.problem("dbca").prompt == "sort:dbca=")
    #expect(SortingTask.problem("dbca").answer == "abcd")
  }

  @Test("solutions verify; exact match only, unless partial credit grades positions")
  func verifier() throws {
    let exact = try SortingTask(length: 4, alphabet: 26, partialCredit: false)
    let graded = try SortingTask(length: 4, alphabet: 26, partialCredit: true)
    for seed in 0..<10 as Range<UInt64> {
      var rng = Philox(seed: seed)
      for _ in 0..<100 {
        let problem = graded.trainingProblem(rng: &rng)
        let solution = try #require(graded.solution(for: problem, rng: &rng))
        #expect(graded.score(solution, for: problem) == .right)
        #expect(exact.score(solution, for: problem) == .right)
      }
    }
    let problem = SortingTask.problem("dbca")
    #expect(exact.score("abdc", for: problem) == .wrong)
    // abdc vs abcd: 2 of 4 positions; abc vs abcd: 3 of 4; abcde: 4 of 5; "" : 0
    #expect(graded.score("abdc", for: problem) == TaskScore(reward: 0.5, correct: false))
    #expect(graded.score("abc", for: problem) == TaskScore(reward: 0.75, correct: false))
    #expect(graded.score("abcde", for: problem) == TaskScore(reward: 0.8, correct: false))
    #expect(graded.score("", for: problem) == TaskScore(reward: 0, correct: false))
    #expect(exact.partialAnswer("abdc", for: problem) == .graded(0.5))
  }

  @Test("held out: fixed, a tenth of a small space, never drawn for training")
  func heldOut() throws {
    let task = try SortingTask(length: 3, alphabet: 4, partialCredit: false)
    #expect(task.heldOut.count == 6)  // 4³ = 64 problems
    #expect(try SortingTask(length: 3, alphabet: 4, partialCredit: true).heldOut == task.heldOut)
    let held = Set(task.heldOut.map(\.prompt))
    var rng = Philox(seed: 9)
    var seen = Set<String>()
    for _ in 0..<3000 {
      let prompt = task.trainingProblem(rng: &rng).prompt
      #expect(!held.contains(prompt))
      seen.insert(prompt)
    }
    #expect(seen.count == 58)
    #expect(try SortingTask(length: 8, alphabet: 10, partialCredit: false).heldOut.count == 500)
  }

  @Test("the held-out split is pinned: changing the generator or its seed fails here")
  func pinned() throws {
    let task = try SortingTask(length: 5, alphabet: 10, partialCredit: false)
    #expect(task.heldOut.prefix(3).map(\.prompt) == ["sort:98523=", "sort:74511=", "sort:44906="])
  }

  @Test("the same seed gives the same problems")
  func determinism() throws {
    let task = try SortingTask(length: 6, alphabet: 10, partialCredit: false)
    var a = Philox(seed: 4), b = Philox(seed: 4)
    #expect((0..<30).map { _ in task.trainingProblem(rng: &a) } == (0..<30).map { _ in task.trainingProblem(rng: &b) })
  }

  @Test("bad parameters are errors")
  func badParameters() {
    #expect(throws: RuntimeError.self) { try SortingTask(length: 1, alphabet: 10, partialCredit: false) }
    #expect(throws: RuntimeError.self) { try SortingTask(length: 4, alphabet: 27, partialCredit: false) }
  }
}
