import Core
import Graph
import Testing
import TestSupport

/// Every VJP rule against central finite differences, in Double through the reference
/// interpreter, so the tolerance can be tight (relative 1e-6).
@Suite struct GradientRuleTests {
  /// Builds a graph from `body` over float inputs with these shapes and domains, then checks it.
  func check(_ shapes: [(String, Shape, ClosedRange<Double>)], ints: [(String, Shape, Int)] = [],
             tolerance: Double = 1e-6, seed: UInt64 = 1,
             _ body: ([String: Value]) -> Value) throws {
    let builder = GraphBuilder()
    var values: [String: Value] = [:]
    var random = TestRandom(seed: seed)
    var bound: [String: DoubleTensor] = [:]
    for (name, shape, domain) in shapes {
      values[name] = builder.input(name, shape)
      bound[name] = DoubleTensor(shape: shape, values: random.uniforms(shape.count, domain.lowerBound, domain.upperBound))
    }
    for (name, shape, upper) in ints {
      values[name] = builder.input(name, shape, dtype: .int32)
      bound[name] = DoubleTensor(shape: shape, values: random.integers(shape.count, below: upper).map(Double.init))
    }
    let graph = try builder.build(outputs: [body(values)])
    let (error, at) = try GradientCheck.worstError(of: graph, inputs: bound)
    #expect(error < tolerance, "worst at \(at)")
  }

  static let positiveUnary: [UnaryFunction] = [.log, .sqrt, .reciprocal]
  static let anyUnary: [UnaryFunction] = [.neg, .exp, .log1p, .tanh, .sigmoid, .relu, .gelu, .geluDerivative, .abs, .square, .erf]

  @Test("unary rules on any real input", arguments: anyUnary)
  func unary(_ f: UnaryFunction) throws {
    // Inputs in ±[0.1, 2] keep finite differences away from the kinks of relu and abs at 0.
    try check([("x", [2, 5], 0.1...2)]) { v in apply(f, v["x"]!) }
    try check([("x", [2, 5], -2 ... -0.1)], seed: 2) { v in apply(f, v["x"]!) }
  }

  @Test("unary rules on positive input", arguments: positiveUnary)
  func unaryPositive(_ f: UnaryFunction) throws {
    try check([("x", [7], 0.2...3)]) { v in apply(f, v["x"]!) }
  }

  @Test("binary rules", arguments: [BinaryFunction.add, .sub, .mul, .div, .pow, .min, .max])
  func binary(_ f: BinaryFunction) throws {
    let shapes: [(String, Shape, ClosedRange<Double>)] = [("a", [3, 4], 0.5...2), ("b", [3, 4], 0.5...2)]
    try check(shapes) { v in apply(f, v["a"]!, v["b"]!) }
    // A rank-0 operand and a broadcast [3, 1] operand are summed back to their shapes.
    try check([("a", [3, 4], 0.5...2), ("s", [], 0.6...1.9)]) { v in apply(f, v["a"]!, v["s"]!) }
    try check([("c", [3, 1], 0.5...2), ("a", [3, 4], 0.5...2)]) { v in apply(f, v["c"]!, v["a"]!) }
  }

  @Test("select routes the gradient to the chosen branch")
  func selectRule() throws {
    try check([("c", [6], -1...1), ("a", [6], -1...1), ("b", [6], -1...1)]) { v in
      select(v["c"]! .> 0, v["a"]!, v["b"]!)
    }
  }

  @Test("clip passes the gradient inside the range and none outside")
  func clipRule() throws {
    try check([("x", [10], 0.5...1.5)]) { v in clip(v["x"]!, 0.8, 1.2) * 3 }
  }

  @Test("reductions over each axis", arguments: [0, 1, 2])
  func reductions(axis: Int) throws {
    try check([("x", [2, 3, 4], -1...1)]) { v in v["x"]!.sum(axis: axis) }
    try check([("x", [2, 3, 4], -1...1)]) { v in v["x"]!.max(axis: axis) }
  }

  @Test("composites: logsumexp, log-softmax, variance, masked mean")
  func composites() throws {
    try check([("x", [3, 5], -2...2)]) { v in v["x"]!.logSoftmax(axis: -1) }
    try check([("x", [3, 5], -2...2)]) { v in v["x"]!.softmax(axis: 0) }
    try check([("x", [4, 3], -2...2)]) { v in v["x"]!.variance(axis: 0, unbiased: true) }
    try check([("x", [4, 3], -2...2), ("m", [4, 3], 0...1)]) { v in
      v["x"]!.mean(axis: 1, mask: step(v["m"]! - 0.5))
    }
  }

  @Test("matmul in all four transpose combinations", arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matmulRule(transposeA: Bool, transposeB: Bool) throws {
    let a: Shape = transposeA ? [2, 4, 3] : [2, 3, 4]
    let b: Shape = transposeB ? [2, 5, 4] : [2, 4, 5]
    try check([("a", a, -1...1), ("b", b, -1...1)]) { v in
      matmul(v["a"]!, v["b"]!, transposeA: transposeA, transposeB: transposeB)
    }
  }

  @Test("matmul with a shared rank-2 weight")
  func sharedWeight() throws {
    try check([("x", [2, 3, 4], -1...1), ("w", [4, 5], -1...1)]) { v in tanh(matmul(v["x"]!, v["w"]!)) }
  }

  @Test("layout: transpose, reshape, broadcast, slice, concat")
  func layout() throws {
    try check([("x", [2, 3, 4], -1...1)]) { v in v["x"]!.transposed([2, 0, 1]) }
    try check([("x", [2, 6], -1...1)]) { v in v["x"]!.reshaped(to: [3, 4]) * v["x"]!.reshaped(to: [3, 4]) }
    try check([("x", [3, 1], -1...1)]) { v in v["x"]!.broadcast(to: [3, 4]) }
    try check([("x", [], -1...1)]) { v in v["x"]!.broadcast(to: [2, 2]) }
    try check([("x", [3, 6], -1...1)]) { v in v["x"]!.sliced(axis: 1, start: 2, length: 3) }
    try check([("x", [3, 2], -1...1), ("y", [3, 4], -1...1)]) { v in concat([v["x"]!, v["y"]!, v["x"]!], axis: 1) }
  }

  @Test("cotangents of disjoint slices are joined by one concat, overlapping ones added")
  func slicePieces() throws {
    try check([("x", [2, 9], -1...1)]) { v in
      let x = v["x"]!
      let (a, b, c) = (x.sliced(axis: 1, start: 0, length: 3), x.sliced(axis: 1, start: 3, length: 3), x.sliced(axis: 1, start: 7, length: 2))
      return concat([tanh(a) * b, square(c), x.sliced(axis: 1, start: 2, length: 2)], axis: 1)
    }
    let builder = GraphBuilder()
    let x = builder.input("x", [4, 6])
    let loss = (exp(x.sliced(axis: 1, start: 0, length: 2)).sum() + square(x.sliced(axis: 1, start: 2, length: 4)).sum())
    let graph = try builder.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: [x.id])
    let concats = graph.nodes.filter { if case .concat = $0.op { true } else { false } }
    let adds = graph.nodes.filter { $0.op == .binary(.add) && $0.type.shape == [4, 6] }
    #expect(concats.count == 1 && adds.isEmpty, "\(graph)")
  }

  @Test("gather and scatter-add")
  func indexing() throws {
    try check([("table", [5, 3], -1...1)], ints: [("ids", [2, 4], 5)]) { v in v["table"]!.gatherRows(v["ids"]!) }
    try check([("x", [4, 6], -1...1)], ints: [("ids", [4], 6)]) { v in v["x"]!.logSoftmax().gatherLastAxis(v["ids"]!) }
    try check([("x", [4], -1...1)], ints: [("ids", [4], 6)]) { v in
      v["x"]!.scatterAdd(v["ids"]!, mode: .lastAxis, into: [4, 6])
    }
    try check([("x", [5, 3], -1...1)], ints: [("ids", [5], 4)]) { v in
      v["x"]!.scatterAdd(v["ids"]!, mode: .rows, into: [4, 3])
    }
  }

  @Test("linear scan forward and reverse, through both inputs", arguments: [false, true])
  func scan(reverse: Bool) throws {
    try check([("x", [2, 5], -1...1), ("c", [2, 5], 0.3...0.9)]) { v in
      linearScan(v["x"]!, decay: v["c"]!, axis: 1, reverse: reverse)
    }
    try check([("x", [4, 3], -1...1), ("c", [4, 3], 0.3...0.9)]) { v in
      linearScan(v["x"]!, decay: v["c"]!, axis: 0, reverse: reverse)
    }
  }

  @Test("stop-gradient blocks the gradient")
  func stopGradientRule() throws {
    let builder = GraphBuilder()
    let x = builder.input("x", [3])
    let loss = (x * stopGradient(x)).sum()
    let graph = try builder.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: [x.id])
    let out = try ReferenceInterpreter.evaluate(graph, inputs: ["x": DoubleTensor(shape: [3], values: [1, 2, 3])])
    // d/dx Σ x·sg(x) = sg(x) = [1, 2, 3], not 2x.
    #expect(out[1].values == [1, 2, 3])
  }

  @Test("PPO's clipped surrogate has no gradient where the clip is active")
  func ppoSubgradient() throws {
    let builder = GraphBuilder()
    let logp = builder.input("logp", [4]), oldLogp = builder.input("old_logp", [4]), adv = builder.input("adv", [4])
    let ratio = exp(logp - oldLogp)
    let loss = -min(ratio * adv, clip(ratio, 0.8, 1.2) * adv).sum()
    let graph = try builder.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: [logp.id])
    let out = try ReferenceInterpreter.evaluate(graph, inputs: [
      "logp": DoubleTensor(shape: [4], values: [0.5, 0, 0.5, -0.5]),
      "old_logp": DoubleTensor(shape: [4], values: [0, 0, 0, 0]),
      "adv": DoubleTensor(shape: [4], values: [1, 1, -1, -1]),
    ])
    // d loss/d logp = −adv·ratio on the unclipped branch, 0 on the clipped one.
    // 0: ratio e^0.5 ≈ 1.649, adv 1: min(1.649, 1.2) is the clipped branch → 0.
    // 1: ratio 1, inside the range: −1.
    // 2: ratio 1.649, adv −1: min(−1.649, −1.2) is the unclipped branch → +1.649.
    // 3: ratio e^−0.5 ≈ 0.607, adv −1: min(−0.607, −0.8) is the clipped branch → 0.
    #expect(out[1].values[0] == 0)
    #expect(isClose(out[1].values[1], -1))
    #expect(isClose(out[1].values[2], 1.6487212707001282))
    #expect(out[1].values[3] == 0)
  }
}

func apply(_ f: UnaryFunction, _ x: Value) -> Value { x.builder.apply(f, x) }
func apply(_ f: BinaryFunction, _ a: Value, _ b: Value) -> Value { a.builder.apply(f, a, b) }
