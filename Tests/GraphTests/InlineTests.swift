import Core
import Foundation
import Graph
import Testing
import TestSupport

/// `GraphBuilder.inline`: one program's graph copied into another, inputs bound by name.
@Suite struct InlineTests {
  /// loss(y, w) = Σ (y · w − 1)² as its own graph.
  func lossGraph() throws -> Graph {
    let g = GraphBuilder()
    let y = g.input("y", [2, 3]), w = g.input("w", [2, 3])
    return try g.build(outputs: [square(y * w - 1).sum().named("loss")])
  }

  @Test("an inlined graph computes what the two graphs compute in sequence, and its gradient flows through the binding")
  func composition() throws {
    let g = GraphBuilder()
    let x = g.input("x", [2, 3])
    let y = tanh(x) * 2
    let loss = try #require(g.inline(try lossGraph(), bindings: ["y": y]).first)
    let graph = try g.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: [x.id])
    #expect(graph.inputNames == ["x", "w"])
    let xs: [Double] = [0.1, -0.4, 0.7, 1.2, -1.5, 0.3], ws: [Double] = [0.5, 1.5, -2, 0.25, 1, -0.75]
    let out = try ReferenceInterpreter.evaluate(graph, inputs: ["x": DoubleTensor(shape: [2, 3], values: xs),
                                                                "w": DoubleTensor(shape: [2, 3], values: ws)])
    var expected = 0.0
    for (a, b) in zip(xs, ws) { expected += (2 * Foundation.tanh(a) * b - 1) * (2 * Foundation.tanh(a) * b - 1) }
    #expect(isClose(out[0].values[0], expected, rtol: 1e-12))
    for i in 0..<6 {
      let t = Foundation.tanh(xs[i])
      let dx = 2 * (2 * t * ws[i] - 1) * ws[i] * 2 * (1 - t * t)
      #expect(isClose(out[1].values[i], dx, rtol: 1e-12))
    }
  }

  @Test("a binding of another type and an input name reused with another type are build errors")
  func typeMismatch() throws {
    let g = GraphBuilder()
    let wrong = g.input("x", [3, 2])
    _ = g.inline(try lossGraph(), bindings: ["y": wrong])
    #expect(throws: GraphError.self) { try g.build(outputs: [wrong]) }
    let h = GraphBuilder()
    let w = h.input("w", [4])
    _ = h.inline(try lossGraph(), bindings: ["y": h.input("y", [2, 3])])
    #expect(throws: GraphError.self) { try h.build(outputs: [w]) }
  }
}
