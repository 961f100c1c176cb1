import Core
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct JSONLTaskTests {
  /// 20 lines "what is i+i?" → 2i, with a blank line in between.
  static func goodFile(in directory: TemporaryDirectory) throws -> String {
    var lines = (0..<20).map { "{\"question\": \"what is \($0)+\($0)?\", \"gold\": \($0 * 2), \"extra\": [1]}" }
    lines.insert("", at: 5)
    return try directory.write("good.jsonl", lines.joined(separator: "\n") + "\n")
  }

  @Test("a good file: prompts and answers by key, a fixed held-out tenth, exact trimmed match")
  func goodFile() throws {
    let directory = try TemporaryDirectory()
    let path = try Self.goodFile(in: directory)
    let task = try JSONLTask(path: path, promptKey: "question", answerKey: "gold")
    #expect(task.canVerify)
    #expect(task.heldOut.count == 2)
    #expect(task.trainingCount == 18)
    #expect(try JSONLTask(path: path, promptKey: "question", answerKey: "gold").heldOut == task.heldOut)
    #expect(task.maxPromptLength == "what is 19+19?".count)
    #expect(task.maxSolutionLength == 2)
    let held = Set(task.heldOut.map(\.prompt))
    var rng = Philox(seed: 3)
    for _ in 0..<200 {
      let problem = task.trainingProblem(rng: &rng)
      #expect(!held.contains(problem.prompt))
      let solution = try #require(task.solution(for: problem, rng: &rng))
      #expect(task.score(solution, for: problem) == .right)
      #expect(task.score(" \(solution)\n", for: problem) == .right)
      #expect(task.score(solution + "0", for: problem) == .wrong)
    }
    let numbers = try directory.write("numbers.jsonl", "{\"prompt\": \"half\", \"answer\": 2.5}\n{\"prompt\": \"one\", \"answer\": 1}\n")
    let parsed = try JSONLTask(path: numbers, promptKey: "prompt", answerKey: "answer", heldOutFraction: 0)
    var draw = Philox(seed: 0)
    let answers = Set((0..<50).map { _ in parsed.trainingProblem(rng: &draw).answer ?? "" })
    #expect(answers == ["2.5", "1"])
    let problem = TaskProblem(prompt: "what is 5+5?", answer: "10")
    #expect(task.partialAnswer("9", for: problem) == .numeric(9, reference: 10))
  }

  @Test("a file without answers cannot verify, and a verifier on it is refused")
  func noAnswers() throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("prompts.jsonl", "{\"prompt\": \"hello\"}\n{\"prompt\": \"world\"}\n")
    let task = try JSONLTask(path: path, promptKey: "prompt", answerKey: "answer", heldOutFraction: 0)
    #expect(!task.canVerify)
    #expect(task.heldOut.isEmpty)
    #expect(throws: RuntimeError.self) {
      try RewardPipeline(task: task, terms: [.verifier(weight: 1, pass: 1, fail: 0)], maxTokens: 8)
    }
    _ = try RewardPipeline(task: task, terms: [.format(weight: 1, pattern: "^[a-z]+$")], maxTokens: 8)
  }

  @Test("a broken line is an error with its path and line number", arguments: [
    ("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"c\", \"answer\": \n", 2, "not a JSON object"),
    ("{\"prompt\": \"a\", \"answer\": \"b\"}\n\n[1, 2]\n", 3, "not a JSON object"),
    ("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"text\": \"c\"}\n", 2, "no \"prompt\" key (the line has \"text\")"),
    ("{\"prompt\": 3, \"answer\": \"b\"}\n", 1, "\"prompt\" must be a non-empty string"),
    ("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"What?\", \"answer\": \"b\"}\n", 2, "\"W\" (U+0057)"),
    ("{\"prompt\": \"a\", \"answer\": \"b\"}\n{\"prompt\": \"c\"}\n", 2, "no \"answer\" key, but line 1 has one"),
    ("{\"prompt\": \"a\", \"answer\": [1]}\n", 1, "\"answer\" must be a string or a number"),
    ("{\"prompt\": \"a\", \"answer\": 1}\n{\"prompt\": \"b\", \"answer\": true}\n", 2, "not a boolean"),
  ])
  func brokenLine(text: String, line: Int, message: String) throws {
    let directory = try TemporaryDirectory()
    let path = try directory.write("broken.jsonl", text)
    do {
      _ = try JSONLTask(path: path, promptKey: "prompt", answerKey: "answer")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".hasPrefix("\(path):\(line): "), "\(error)")
      #expect("\(error)".contains(message), "\(error)")
    }
  }

  @Test("a missing or empty file is an error naming it")
  func unreadable() throws {
    let directory = try TemporaryDirectory()
    let missing = directory.url.appendingPathComponent("missing.jsonl").path
    #expect(throws: RuntimeError.invalidTask(reason: "cannot read \(missing): no such file")) {
      try JSONLTask(path: missing, promptKey: "prompt", answerKey: nil)
    }
    let empty = try directory.write("empty.jsonl", "\n\n")
    #expect(throws: RuntimeError.invalidTask(reason: "\(empty) has no prompts")) {
      try JSONLTask(path: empty, promptKey: "prompt", answerKey: nil)
    }
  }

  @Test("a prompt longer than the context is an error naming its line")
  func tooLong() throws {
    let directory = try TemporaryDirectory()
    let long = String(repeating: "a", count: 60)
    let path = try directory.write("long.jsonl", "{\"prompt\": \"short\"}\n{\"prompt\": \"\(long)\"}\n")
    let task = try JSONLTask(path: path, promptKey: "prompt", answerKey: nil, heldOutFraction: 0)
    try task.checkFits(context: 77, maxTokens: 16)
    #expect(throws: RuntimeError.taskFile(path: path, line: 2, reason: "the prompt has 60 characters; with BOS and "
      + "rollout.max_tokens 16 that is 77 tokens, more than the policy's context 64")) {
      try task.checkFits(context: 64, maxTokens: 16)
    }
  }
}
