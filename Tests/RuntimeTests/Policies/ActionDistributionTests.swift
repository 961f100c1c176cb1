import Foundation
import Core
import Graph
import Runtime
import Testing
import TestSupport

@Suite struct ActionDistributionTests {
  func run(_ build: (GraphBuilder) -> [Value]) throws -> [[Float]] {
    let g = GraphBuilder()
    let graph = try g.build(outputs: build(g))
    return try Planner.plan(graph).run([Tensor]()).map(\.scalars)
  }

  // logits (0, ln 3) → π = (1/4, 3/4): log π(1) = ln 0.75 = −0.287682, log π(0) = ln 0.25 = −1.386294;
  // H = −(0.25 ln 0.25 + 0.75 ln 0.75) = 0.562335.
  @Test("categorical log-prob and entropy by hand")
  func categorical() throws {
    let outputs = try run { g in
      let logits = g.constant(Tensor(shape: [2, 2], scalars: [0, Float(Foundation.log(3.0)), 0, Float(Foundation.log(3.0))]))
      let actions = g.constant(Tensor(shape: [2], indices: [1, 0]))
      return [ActionDistribution.categoricalLogProb(logits: logits, actions: actions), ActionDistribution.categoricalEntropy(logits: logits)]
    }
    #expect(allClose(outputs[0], [-0.287682, -1.386294], rtol: 1e-5))
    #expect(allClose(outputs[1], [0.562335, 0.562335], rtol: 1e-5))
  }

  // μ = (0.5, 0), σ = (2, 1), a = (1.5, −1): z = (0.5, −1);
  // log p = (−0.125 − ln 2 − 0.918939) + (−0.5 − 0 − 0.918939) = −1.737086 − 1.418939 = −3.156025;
  // H = (0.5 + 0.918939 + ln 2) + (0.5 + 0.918939) = 2.112086 + 1.418939 = 3.531025.
  @Test("diagonal Gaussian log-prob and entropy by hand, summed over dimensions")
  func gaussian() throws {
    let outputs = try run { g in
      let mean = g.constant(Tensor(shape: [1, 2], scalars: [0.5, 0]))
      let logStd = g.constant(Tensor(shape: [1, 2], scalars: [Float(Foundation.log(2.0)), 0]))
      let actions = g.constant(Tensor(shape: [1, 2], scalars: [1.5, -1]))
      return [ActionDistribution.gaussianLogProb(mean: mean, logStd: logStd, actions: actions),
              ActionDistribution.gaussianEntropy(logStd: logStd, batch: 3)]
    }
    #expect(allClose(outputs[0], [-3.156025], rtol: 1e-5))
    #expect(allClose(outputs[1], [3.531025, 3.531025, 3.531025], rtol: 1e-5))
  }
}
