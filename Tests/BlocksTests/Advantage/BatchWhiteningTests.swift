import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// the `batch_norm` modifier.
@Suite struct BatchWhiteningTests: TokenScanTesting {
  @Test("batch_norm whitens any advantage like verl masked_whiten; shift: false keeps the mean")
  func batchNorm() throws {
    let b = batch(seed: 8)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    let raw = try BlockHarness.evaluate(recipe, on: b)["advantages"]!
    recipe.modifiers = [try BatchWhitening(BlockHarness.params(BatchWhitening.declaration))]
    expectClose(try BlockHarness.evaluate(recipe, on: b)["advantages"]!, VerlReference.whiten(rows(raw), mask: Self.mask), mask: Self.mask)
    recipe.modifiers = [try BatchWhitening(BlockHarness.params(BatchWhitening.declaration, ["shift": .bool(false)]))]
    let kept = try BlockHarness.evaluate(recipe, on: b)["advantages"]!
    let real = zip(raw, b.flatMask).filter { $0.1 == 1 }.map(\.0)
    let mean = real.reduce(0, +) / Double(real.count)
    expectClose(kept, VerlReference.whiten(rows(raw), mask: Self.mask).map { $0.map { $0 + mean } }, mask: Self.mask)
  }

  @Test("ewma: β in eval whitens with the one batch's statistics (the running ones after a first batch)")
  func ewmaInEval() throws {
    let b = batch(seed: 9)
    var recipe = try BlockHarness.recipe(try GroupNormalizedAdvantage(BlockHarness.params(GroupNormalizedAdvantage.declaration, ["std": .bool(false)])))
    recipe.modifiers = [try BatchWhitening(BlockHarness.params(BatchWhitening.declaration))]
    let plain = try BlockHarness.evaluate(recipe, on: b)["advantages"]!
    let ewma = try BatchWhitening(BlockHarness.params(BatchWhitening.declaration, ["ewma": .float(0.9)]))
    #expect(ewma.decay == 0.9)
    recipe.modifiers = [ewma]
    #expect(try BlockHarness.evaluate(recipe, on: b)["advantages"]! == plain)
  }
}

