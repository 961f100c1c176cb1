import Foundation
import Runtime
import Testing
import TestSupport

/// The warm-start cache key: canonical text, the same in every process.
@Suite struct WarmStartCacheTests {
  static func description(_ task: any TokenTask, seed: UInt64 = 5) -> String {
    WarmStartCache.description(task: task, policy: TransformerConfiguration(layers: 1, width: 32, heads: 2, context: 16),
                               warmStart: WarmStartConfiguration(untilAccuracy: 0.3, maxSteps: 10), promptLength: 7,
                               responseLength: 4, seed: seed)
  }

  @Test("the description lists its fields sorted by name, and the task by its parameters")
  func canonicalText() throws {
    let text = Self.description(try ArithmeticTask(digits: 1, operations: ["+"]))
    #expect(text == "warm_start v2 policy.context=16 policy.heads=2 policy.layers=1 policy.value_head=false policy.vocabulary=64 "
      + "policy.width=32 prompt_length=7 response_length=4 seed=5 sft.batch=64 sft.check_every=25 sft.learning_rate=0.0005 "
      + "sft.max_steps=10 sft.until_accuracy=0.3 sft.validation=256 task=arithmetic digits=1 operations=+")
  }

  @Test("what decides the weights changes the key; sorting's partial_credit and a JSONL file's path do not")
  func whatCounts() throws {
    let key = { (task: any TokenTask) in WarmStartCache.key(Self.description(task)) }
    #expect(key(try ArithmeticTask(digits: 2, operations: ["+", "-"])) != key(try ArithmeticTask(digits: 2, operations: ["-", "+"])))
    #expect(WarmStartCache.key(Self.description(try ArithmeticTask(digits: 1, operations: ["+"]), seed: 6))
      != key(try ArithmeticTask(digits: 1, operations: ["+"])))
    #expect(key(try SortingTask(length: 4, alphabet: 5, partialCredit: true)) == key(try SortingTask(length: 4, alphabet: 5, partialCredit: false)))

    let directory = try TemporaryDirectory()
    let lines = (0..<20).map { "{\"q\": \"what is \($0)+\($0)?\", \"a\": \($0 * 2)}" }.joined(separator: "\n")
    let one = try directory.write("one.jsonl", lines), two = try directory.write("two.jsonl", lines)
    let edited = try directory.write("edited.jsonl", lines.replacingOccurrences(of: "\"a\": 38", with: "\"a\": 39"))
    #expect(key(try JSONLTask(path: one, promptKey: "q", answerKey: "a")) == key(try JSONLTask(path: two, promptKey: "q", answerKey: "a")))
    #expect(key(try JSONLTask(path: one, promptKey: "q", answerKey: "a")) != key(try JSONLTask(path: edited, promptKey: "q", answerKey: "a")))
  }

  @Test("two processes build the same key, though their Set orders differ")
  func sameKeyInTwoProcesses() async throws {
    var outputs: [[String]] = []
    for _ in 0..<2 {
      let result = try await #require(processExitsWith: .success, observing: [\.standardOutputContent]) {
        // Each exit test is a new process with its own hash seed.
        let task = try ArithmeticTask(digits: 2, operations: ["+", "-"])
        print(WarmStartCache.key(WarmStartCacheTests.description(task)))
        print(Set(task.heldOut.prefix(64).map(\.prompt)).joined(separator: ","))
      }
      outputs.append(String(decoding: result.standardOutputContent, as: UTF8.self).split(separator: "\n").map(String.init))
    }
    try #require(outputs.allSatisfy { $0.count == 2 })
    #expect(outputs[0][0] == outputs[1][0])
    // NOTE: proves the two processes hashed differently (64 strings in the same order by
    // chance is out of the question); SWIFT_DETERMINISTIC_HASHING makes them agree.
    if ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil { #expect(outputs[0][1] != outputs[1][1]) }
  }
}
