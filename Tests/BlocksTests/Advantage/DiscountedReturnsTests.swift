import Blocks
import Expr
import Foundation
import Testing
import TestSupport

/// `returns`.
@Suite struct DiscountedReturnsTests {
  // rewards [1, 2, 3] on 3 real tokens, γ = 0.5: G = [1 + 0.5·(2 + 0.5·3), 2 + 1.5, 3] = [2.75, 3.5, 3];
  // baseline value V = [1, 1, 1]: A = [1.75, 2.5, 2]. 1-step with V: G_0 = 1 + 0.5·1 = 1.5.
  @Test("discounted returns, value baseline and n-step bootstrapping by hand")
  func returns() throws {
    var b = TestBatch(groups: [0], mask: [[1, 1, 1, 0]])
    b.inputs = [.logp: [0, 0, 0, 0], .oldLogp: [0, 0, 0, 0], .refLogp: [0, 0, 0, 0], .reward: [0],
                .tokenReward: [1, 2, 3, .nan], .values: [1, 1, 1, .nan]]
    let decl = DiscountedReturns.declaration
    let full = try BlockHarness.evaluate(try BlockHarness.recipe(try DiscountedReturns(BlockHarness.params(decl, ["gamma": .float(0.5), "baseline": .string("value")]))), on: b)
    #expect(allClose(full["returns"]!, [2.75, 3.5, 3, 0], rtol: 1e-9, atol: 1e-12))
    #expect(allClose(full["advantages"]!, [1.75, 2.5, 2, 0], rtol: 1e-9, atol: 1e-12))
    let oneStep = try BlockHarness.evaluate(try BlockHarness.recipe(try DiscountedReturns(BlockHarness.params(decl, ["gamma": .float(0.5), "n": .int(1)]))), on: b)
    #expect(allClose(oneStep["returns"]!, [1.5, 2.5, 3, 0], rtol: 1e-9, atol: 1e-12))
  }
}
