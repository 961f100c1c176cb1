import Core
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct RewardPipelineTests {
  @Test("verifier: pass for a right answer, fail for a wrong one, weighted")
  func verifier() throws {
    let samples = additionSamples(["82", "83", ""])
    let scores = try scoreAddition([.verifier(weight: 2, pass: 1, fail: -1)], samples)
    #expect(scores.correct == [true, false, false])
    // 2 · (+1), 2 · (−1), 2 · (−1)
    #expect(scores.terms["verifier"] == [2, -2, -2])
    #expect(scores.total == [2, -2, -2])
    #expect(scores.excluded == [false, false, false])
  }

  // M = 16, C = 4: 0 up to 12; (12 − L)/4 · 0.5 in (12, 16]; −0.5 past 16.
  // L = 10 → 0, 12 → 0, 13 → −0.125, 14 → −0.25, 16 → −0.5, 17 → −0.5
  @Test("overlong: zero below the soft zone, linear in it, the full penalty past the limit",
        arguments: zip([10, 12, 13, 14, 16, 17], [0.0, 0.0, -0.125, -0.25, -0.5, -0.5]))
  func overlong(length: Int, expected: Double) throws {
    let samples = additionSamples(["82"], lengths: [length])
    let scores = try scoreAddition([.overlong(weight: 1, max: 16, cache: 4, penalty: 0.5, filterTruncated: false)], samples,
                                   maxTokens: 20)
    #expect(isClose(scores.terms["overlong"]?[0] ?? .nan, expected))
  }

  @Test("overlong with filter_truncated masks truncated samples out instead of penalizing them")
  func overlongFilter() throws {
    let samples = additionSamples(["82", "8282828282828282", "82828282828282"], lengths: [3, 16, 15],
                                  truncated: [false, true, false])
    let terms: [RewardTerm] = [.verifier(weight: 1, pass: 1, fail: 0),
                               .overlong(weight: 1, max: 16, cache: 4, penalty: 1, filterTruncated: true)]
    let scores = try scoreAddition(terms, samples)
    #expect(scores.excluded == [false, true, false])
    // the untruncated 15-token sample is still in the soft zone: (12 − 15)/4 = −0.75
    #expect(scores.terms["overlong"] == [0, 0, -0.75])
    #expect(scores.total == [1, 0, -0.75])
  }

  @Test("terms sum in order; each is logged under its recipe key")
  func sum() throws {
    let samples = additionSamples(["82", "80"], lengths: [3, 14])
    let terms: [RewardTerm] = [.verifier(weight: 1, pass: 1, fail: 0),
                               .overlong(weight: 2, max: 16, cache: 4, penalty: 1, filterTruncated: false)]
    let scores = try scoreAddition(terms, samples)
    // overlong of L = 14: (12 − 14)/4 = −0.5, weight 2 → −1
    #expect(scores.terms["overlong"] == [0, -1])
    #expect(scores.total == [1, -1])
    #expect(Set(scores.terms.keys) == ["verifier", "overlong"])
  }

  @Test("terms that cannot apply are errors at setup")
  func setupErrors() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+"])
    let bad: [[RewardTerm]] = [
      [.overlong(weight: 1, max: 16, cache: 16, penalty: 1, filterTruncated: false)],
      [.overlong(weight: 1, max: 30, cache: 4, penalty: 1, filterTruncated: false)],  // zone starts at 26 > 16
      [.verifier(weight: 1, pass: 1, fail: 0), .verifier(weight: 1, pass: 1, fail: 0)],
      [.verifier(weight: .nan, pass: 1, fail: 0)],
      [.format(weight: 1, pattern: "([0-9]")],
      [.repetition(weight: 1, n: 0, coef: 1)],
      [.dither(weight: 1, gaussian: true, sigma: 0, schedule: .constant)],
      [.command(weight: 1, argv: [], timeoutSeconds: 1)],
    ]
    for terms in bad {
      #expect(throws: RuntimeError.self, "\(terms)") { try RewardPipeline(task: task, terms: terms, maxTokens: 16) }
    }
    let pipeline = try RewardPipeline(task: task, terms: [], maxTokens: 16)
    var rng = Philox(seed: 0)
    #expect(throws: RuntimeError.self) { try pipeline.score([], progress: 1.5, rng: &rng) }
  }
}
