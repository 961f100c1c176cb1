import Core
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct RewardShapingTests {
  // answer 82: relative_error, p = 2: 80 → (1 − 2/82)² = 0.951814; 90 → (1 − 8/82)² = 0.814396;
  // 0 → (1 − 82/82)² = 0; "x" → 0; 82 → 1
  // abs_error, scale 4: 80 → 1 − 2/4 = 0.5; 90 → 0
  @Test("partial_credit on a numeric answer: relative and absolute error")
  func partialCreditNumeric() throws {
    let samples = additionSamples(["82", "80", "0", "x", "90"])
    let relative = try scoreAddition([.partialCredit(weight: 1, mode: .relativeError, power: 2, scale: 1)], samples)
    #expect(allClose(relative.terms["partial_credit"] ?? [], [1, 0.951814, 0, 0, 0.814396]))
    let absolute = try scoreAddition([.partialCredit(weight: 2, mode: .absError, power: 1, scale: 4)], samples)
    #expect(absolute.terms["partial_credit"] == [2, 1, 0, 0, 0])
    let steps = try scoreAddition([.partialCredit(weight: 1, mode: .steps, power: 1, scale: 1)], samples)
    #expect(steps.terms["partial_credit"] == [1, 0, 0, 0, 0])
  }

  @Test("partial_credit on a task without a numeric answer uses the task's graded score")
  func partialCreditGraded() throws {
    let task = try SortingTask(length: 4, alphabet: 26, partialCredit: false)
    let problem = SortingTask.problem("dbca")
    let samples = ["abcd", "abdc", "zz"].map { RewardSample(problem: problem, completion: $0, length: 5, truncated: false, group: 0) }
    let pipeline = try RewardPipeline(task: task, terms: [.partialCredit(weight: 1, mode: .relativeError, power: 1, scale: 1),
                                                          .verifier(weight: 1, pass: 1, fail: -1)], maxTokens: 8)
    var rng = Philox(seed: 0)
    let scores = try pipeline.score(samples, progress: 0, rng: &rng)
    #expect(scores.terms["partial_credit"] == [1, 0.5, 0])
    #expect(scores.terms["verifier"] == [1, -1, -1])
    // a task with graded scores makes the verifier graded too: fail + (pass − fail) · 0.5 = 0
    let graded = try RewardPipeline(task: SortingTask(length: 4, alphabet: 26, partialCredit: true),
                                    terms: [.verifier(weight: 1, pass: 1, fail: -1)], maxTokens: 8)
    #expect(try graded.score(samples, progress: 0, rng: &rng).terms["verifier"] == [1, 0, -1])
  }

  // Lmax = 16, coef 0.5: L = 4 → −0.125, L = 8 → −0.25 (wrong: 0 with only_correct)
  @Test("length_linear: −coef · L / Lmax, on correct samples only unless told otherwise")
  func lengthLinear() throws {
    let samples = additionSamples(["82", "83"], lengths: [4, 8])
    let only = try scoreAddition([.lengthLinear(weight: 1, coef: 0.5, onlyCorrect: true)], samples)
    #expect(only.terms["length_linear"] == [-0.125, 0])
    let all = try scoreAddition([.lengthLinear(weight: 2, coef: -0.5, onlyCorrect: false)], samples)
    #expect(all.terms["length_linear"] == [0.25, 0.5])
  }

  // "aaaaaa", n = 2: 5 bigrams, 1 distinct → 4 repeated → −coef · 4/5 = −0.4 (coef 0.5)
  // "abcabc", n = 3: 4 trigrams abc bca cab abc → 1 repeated → −0.5 · 1/4 = −0.125
  // "ab", n = 3: no trigrams → 0;  "abcd", n = 2 → 0
  @Test("repetition: −coef times the share of repeated n-grams",
        arguments: zip([("aaaaaa", 2), ("abcabc", 3), ("ab", 3), ("abcd", 2)], [-0.4, -0.125, 0, 0]))
  func repetition(input: (String, Int), expected: Double) throws {
    let scores = try scoreAddition([.repetition(weight: 1, n: input.1, coef: 0.5)], additionSamples([input.0]))
    #expect(isClose(scores.terms["repetition"]?[0] ?? .nan, expected))
  }

  @Test("format: 1 where the pattern matches somewhere, 0 elsewhere")
  func format() throws {
    let scores = try scoreAddition([.format(weight: 0.5, pattern: "^-?[0-9]+$")], additionSamples(["82", "-3", "8 2", ""]))
    #expect(scores.terms["format"] == [0.5, 0.5, 0, 0])
    let anywhere = try scoreAddition([.format(weight: 1, pattern: "[0-9]=")], additionSamples(["a1=", "1"]))
    #expect(anywhere.terms["format"] == [1, 0])
  }

  @Test("dither: zero-mean noise of the given σ, decaying with its schedule, reproducible by seed")
  func dither() throws {
    let samples = additionSamples(Array(repeating: "82", count: 20_000))
    for gaussian in [true, false] {
      let term = RewardTerm.dither(weight: 1, gaussian: gaussian, sigma: 0.1, schedule: .constant)
      let noise = try #require(try scoreAddition([term], samples, seed: 5).terms["dither"])
      let mean = noise.reduce(0, +) / Double(noise.count)
      let std = (noise.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(noise.count)).squareRoot()
      // standard error of the mean: 0.1 / √20000 = 0.0007
      #expect(abs(mean) < 0.003)
      #expect(isClose(std, 0.1, rtol: 0.03))
      if !gaussian { #expect(noise.allSatisfy { abs($0) <= 0.1 * 3.0.squareRoot() }) }
      #expect(try scoreAddition([term], samples, seed: 5).terms["dither"] == noise)
      #expect(try scoreAddition([term], samples, seed: 6).terms["dither"] != noise)
    }
    // linear_decay at p = 0.75: σ/4; cosine at p = 0.5: σ/2; both 0 at the end
    let few = Array(samples.prefix(2000))
    let base = try #require(try scoreAddition([.dither(weight: 1, gaussian: true, sigma: 0.1, schedule: .constant)], few,
                                              seed: 1).terms["dither"])
    let linear = try #require(try scoreAddition([.dither(weight: 1, gaussian: true, sigma: 0.1, schedule: .linearDecay)], few,
                                                progress: 0.75, seed: 1).terms["dither"])
    let cosine = try #require(try scoreAddition([.dither(weight: 1, gaussian: true, sigma: 0.1, schedule: .cosine)], few,
                                                progress: 0.5, seed: 1).terms["dither"])
    #expect(allClose(linear, base.map { $0 / 4 }, rtol: 1e-12))
    #expect(allClose(cosine, base.map { $0 / 2 }, rtol: 1e-12))
    let end = try scoreAddition([.dither(weight: 1, gaussian: true, sigma: 0.1, schedule: .cosine)], few, progress: 1, seed: 1)
    #expect(end.terms["dither"]?.allSatisfy { abs($0) < 1e-12 } == true)
  }

  @Test("without dither the generator is untouched")
  func ditherOnly() throws {
    let pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]),
                                      terms: [.verifier(weight: 1, pass: 1, fail: 0)], maxTokens: 16)
    var rng = Philox(seed: 3)
    _ = try pipeline.score(additionSamples(["82"]), progress: 0, rng: &rng)
    #expect(rng == Philox(seed: 3))
  }
}
