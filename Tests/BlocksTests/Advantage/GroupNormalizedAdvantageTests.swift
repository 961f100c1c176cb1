import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `group_norm` (GRPO, Dr. GRPO).
@Suite struct GroupNormalizedAdvantageTests: OutcomeBatchTesting {
  // Group A rewards [1, 0, 0]: mean 1/3, unbiased std sqrt((4/9 + 1/9 + 1/9) / 2) = 0.577350;
  // (1 − 1/3) / (0.577350 + 1e-6) = 1.154699, (0 − 1/3) / 0.577351 = −0.577349.
  // Group B [1, 1, 0]: mean 2/3, same std: 0.577349 and −1.154699.
  @Test("matches verl compute_grpo_outcome_advantage on 2 groups of 3")
  func grpoHand() throws {
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm()), on: batch(groups: [0, 0, 0, 1, 1, 1], rewards: [1, 0, 0, 1, 1, 0]))
    let perRow = stride(from: 0, to: 12, by: 2).map { out["advantages"]![$0] }
    #expect(allClose(perRow, [1.154699, -0.577349, -0.577349, 0.577349, 0.577349, -1.154699], rtol: 1e-5))
  }

  @Test("a group of one keeps its reward (mean 0, std 1); equal rewards give 0")
  func edges() throws {
    let b = batch(groups: [5, 7, 7, 9], rewards: [0.75, 1, 1, -2])
    let std = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm()), on: b)["advantages"]!
    #expect(allClose([std[0], std[2], std[4], std[6]], [0.75 / (1 + 1e-6), 0, 0, -2 / (1 + 1e-6)], rtol: 1e-6))
    let noStd = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm(["std": .bool(false)])), on: b)["advantages"]!
    #expect(allClose([noStd[0], noStd[6]], [0.75, -2], rtol: 1e-6))
  }

  @Test("matches verl grpo and Dr. GRPO on random ragged groups", arguments: [true, false])
  func grpoRandom(std: Bool) throws {
    let groups = [3, 1, 3, 2, 2, 3, 8, 1]
    var random = TestRandom(seed: 9)
    let rewards = random.integers(groups.count, below: 4).map { Double($0) / 3 }
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm(["std": .bool(std)])), on: batch(groups: groups, rewards: rewards))
    let expected = VerlReference.grpo(rewards, groups: groups, std: std)
    #expect(allClose(stride(from: 0, to: 16, by: 2).map { out["advantages"]![$0] }, expected, rtol: 1e-6, atol: 1e-9))
  }

  @Test("the biased std divides by n")
  func biased() throws {
    // [1, 0]: mean 0.5, biased std 0.5: (1 − 0.5) / (0.5 + 1e-6) = 0.999998.
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm(["unbiased": .bool(false)])), on: batch(groups: [0, 0], rewards: [1, 0]))
    #expect(isClose(out["advantages"]![0], 0.999998, rtol: 1e-6))
  }

  // scale: batch, rewards [1, 0 | 1, 1]: group means 0.5 and 1; batch std of [1, 0, 1, 1] = sqrt(0.75 / 3) = 0.5;
  // advantages 0.5 / 0.500001 = 0.999998, −0.999998, 0, 0 (TRL scale_rewards: batch).
  @Test("scale: batch divides by the std of the whole batch, as TRL scale_rewards batch")
  func batchScale() throws {
    let out = try BlockHarness.evaluate(try BlockHarness.recipe(try groupNorm(["scale": .string("batch")])), on: batch(groups: [0, 0, 1, 1], rewards: [1, 0, 1, 1]))
    #expect(allClose(stride(from: 0, to: 8, by: 2).map { out["advantages"]![$0] }, [0.999998, -0.999998, 0, 0], rtol: 1e-6, atol: 1e-9))
  }
}
