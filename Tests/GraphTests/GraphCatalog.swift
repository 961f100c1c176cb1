import Core
import Graph
import TestSupport

/// Small graphs that exercise every primitive, shared by the executor and planner tests.
struct GraphCase: CustomStringConvertible, Sendable {
  let name: String
  let floats: [(String, Shape, ClosedRange<Double>)]
  let ints: [(String, Shape, Int)]
  let body: @Sendable ([String: Value]) -> Value

  var description: String { name }

  /// The graph with its gradient outputs (when `differentiated`) and random bound inputs.
  func make(seed: UInt64 = 3, differentiated: Bool = true) throws -> (Graph, [String: DoubleTensor]) {
    let builder = GraphBuilder()
    var random = TestRandom(seed: seed)
    var values: [String: Value] = [:]
    var bound: [String: DoubleTensor] = [:]
    for (name, shape, domain) in floats {
      values[name] = builder.input(name, shape)
      // Round through Float so the Double reference sees exactly the Float inputs.
      bound[name] = DoubleTensor(shape: shape, values: random.uniforms(shape.count, domain.lowerBound, domain.upperBound)
        .map { Double(Float($0)) })
    }
    for (name, shape, upper) in ints {
      values[name] = builder.input(name, shape, dtype: .int32)
      bound[name] = DoubleTensor(shape: shape, values: random.integers(shape.count, below: upper).map(Double.init))
    }
    let output = body(values)
    let loss = output.sum()
    let graph = try builder.build(outputs: [output, loss])
    guard differentiated else { return (graph, bound) }
    let wrt = graph.inputs.filter { graph[$0].type.dtype == .float32 }
    return (try graph.gradient(of: loss.id, withRespectTo: wrt), bound)
  }

  static let all: [GraphCase] = [
    GraphCase(name: "ppo clipped surrogate", floats: [("logp", [4, 8], -1...0), ("old", [4, 8], -1...0), ("adv", [4, 1], -1...1)], ints: []) { v in
      let ratio = exp(v["logp"]! - v["old"]!)
      return -min(ratio * v["adv"]!, clip(ratio, 0.8, 1.28) * v["adv"]!)
    },
    GraphCase(name: "tanh mlp", floats: [("x", [16, 4], -1...1), ("w1", [4, 8], -0.5...0.5), ("w2", [8, 3], -0.5...0.5), ("b", [1, 8], -0.1...0.1)], ints: []) { v in
      matmul(tanh(matmul(v["x"]!, v["w1"]!) + v["b"]!), v["w2"]!)
    },
    GraphCase(name: "softmax cross-entropy", floats: [("logits", [6, 10], -3...3)], ints: [("labels", [6], 10)]) { v in
      -v["logits"]!.logSoftmax().gatherLastAxis(v["labels"]!)
    },
    GraphCase(name: "embedding and gelu", floats: [("table", [7, 5], -1...1)], ints: [("ids", [3, 4], 7)]) { v in
      gelu(v["table"]!.gatherRows(v["ids"]!)) * sigmoid(v["table"]!.gatherRows(v["ids"]!))
    },
    GraphCase(name: "attention-like batched matmul", floats: [("q", [2, 3, 4], -1...1), ("k", [2, 5, 4], -1...1), ("v", [2, 5, 6], -1...1)], ints: []) { v in
      matmul(matmul(v["q"]!, v["k"]!, transposeB: true).softmax(axis: -1), v["v"]!)
    },
    GraphCase(name: "layout ops", floats: [("x", [2, 3, 4], -1...1), ("y", [2, 3, 2], -1...1)], ints: []) { v in
      let joined = concat([v["x"]!, v["y"]!], axis: 2).transposed([1, 0, 2])
      return square(joined.sliced(axis: 2, start: 1, length: 4)) + joined.sliced(axis: 2, start: 0, length: 4).max(axis: 0, keepingDims: true)
    },
    GraphCase(name: "discounted returns scan", floats: [("r", [3, 6], -1...1), ("c", [3, 6], 0.5...0.99)], ints: []) { v in
      linearScan(v["r"]!, decay: v["c"]!, axis: 1, reverse: true)
    },
    GraphCase(name: "normalization with variance", floats: [("x", [5, 4], -2...2)], ints: []) { v in
      let x = v["x"]!
      return (x - x.mean(axis: 0, keepingDims: true)) / (x.standardDeviation(axis: 0, keepingDims: true) + 1e-6)
    },
    GraphCase(name: "broadcasts: per-row, per-column, middle axis", floats: [("x", [2, 4, 3], -2...2), ("m", [2, 1, 3], -1...1)], ints: []) { v in
      let x = v["x"]!
      let rowMean = x.mean(axis: -1, keepingDims: true)  // [2,4,1]: repeated along the last axis
      let columnMax = x.max(axis: 0, keepingDims: true)  // [1,4,3]: periodic
      return (x - rowMean) * columnMax + v["m"]!.broadcast(to: [2, 4, 3])  // middle axis: strided copy
    },
    GraphCase(name: "a large fused kernel split over the cores", floats: [("x", [300, 200], -2...2), ("b", [1, 200], -1...1)], ints: []) { v in
      let h = tanh(v["x"]! * 1.5 + v["b"]!)
      return gelu(h) * sigmoid(v["x"]!) - square(h)
    },
    GraphCase(name: "large layout ops and reductions split over the cores", floats: [("x", [64, 24, 32], -1...1)], ints: []) { v in
      let x = v["x"]!
      let moved = x.transposed([1, 0, 2])                                      // [24, 64, 32]
      let joined = concat([moved.sliced(axis: 2, start: 4, length: 20), moved], axis: 2)  // [24, 64, 52]
      return joined.sum(axis: 1, keepingDims: true).broadcast(to: [24, 64, 52]) * joined
    },
    GraphCase(name: "unary zoo", floats: [("x", [33], 0.1...2)], ints: []) { v in
      let x = v["x"]!
      return log(x) + log1p(x) + sqrt(x) + reciprocal(x) + abs(-x) + relu(x - 1) + erf(x) + pow(x, 1.5) + x / (x + 1)
    },
  ]
}
