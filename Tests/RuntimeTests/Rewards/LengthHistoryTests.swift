import Core
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct LengthHistoryTests {
  static let p = ArithmeticTask.problem(37, "+", 45)  // answer 82
  static let q = ArithmeticTask.problem(10, "+", 10)  // answer 20

  static func samples(_ items: [(TaskProblem, String, Int)]) -> [RewardSample] {
    items.map { RewardSample(problem: $0.0, completion: $0.1, length: $0.2, truncated: false, group: 0) }
  }

  // Batch 1: no history → 0 everywhere; afterwards h(p) = 4.
  // Batch 2 (h = 4): correct L = 2 → cos(π/2 · 0.5) = 0.707107; correct L = 4 → cos(π/2) = 0;
  //   correct L = 6 → cos(3π/4) = −0.707107; wrong L = 2 → min(0.707, 0) = 0;
  //   wrong L = 8 → cos(min(π, π)) = −1; q has no history → 0. Afterwards h(p) = 2, h(q) = 3.
  // Batch 3 (h = 2): correct L = 3 → cos(3π/4) = −0.707107; q correct L = 3 → cos(π/2) = 0.
  @Test("HAPO: reward against the shortest correct length of earlier batches")
  func acrossBatches() throws {
    let pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]), terms: [.lengthHistory(weight: 2, initial: .none)], maxTokens: 16)
    var rng = Philox(seed: 0)
    let first = try pipeline.score(Self.samples([(Self.p, "82", 4), (Self.p, "82", 6), (Self.p, "1", 2)]), progress: 0, rng: &rng)
    #expect(first.terms["length_history"] == [0, 0, 0])
    let second = try pipeline.score(Self.samples([
      (Self.p, "82", 2), (Self.p, "82", 4), (Self.p, "82", 6), (Self.p, "1", 2), (Self.p, "1", 8), (Self.q, "20", 3),
    ]), progress: 0.1, rng: &rng)
    let h = 2 * 0.5.squareRoot() / 2
    #expect(allClose(second.terms["length_history"] ?? [], [2 * h, 0, -2 * h, 0, -2, 0], atol: 1e-12))
    let state = pipeline.state
    #expect(String(decoding: state, as: UTF8.self) == #"{"length_history":{"10+10=":3,"37+45=":2}}"#)
    let third = Self.samples([(Self.p, "82", 3), (Self.q, "20", 3)])
    let expected = try pipeline.score(third, progress: 0.2, rng: &rng)
    #expect(allClose(expected.terms["length_history"] ?? [], [-2 * h, 0], atol: 1e-12))

    // the state round trip: a fresh pipeline restored from batch 2's state scores batch 3 the same
    let restored = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]), terms: [.lengthHistory(weight: 2, initial: .none)], maxTokens: 16)
    try restored.restore(state)
    #expect(try restored.score(third, progress: 0.2, rng: &rng).terms["length_history"] == expected.terms["length_history"])
    #expect(throws: RuntimeError.self) { try restored.restore(Data("[1]".utf8)) }
  }

  // first_correct: the first batch sets h(p) = 4 before scoring: L = 4 → 0, L = 6 → −0.707107,
  // wrong L = 8 → −1.
  @Test("HAPO with init first_correct scores the first correct batch against itself")
  func firstCorrect() throws {
    let pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]), terms: [.lengthHistory(weight: 1, initial: .firstCorrect)], maxTokens: 16)
    var rng = Philox(seed: 0)
    let scores = try pipeline.score(Self.samples([(Self.p, "82", 4), (Self.p, "82", 6), (Self.p, "1", 8)]), progress: 0, rng: &rng)
    #expect(allClose(scores.terms["length_history"] ?? [], [0, -0.5.squareRoot(), -1], atol: 1e-12))
  }
}
