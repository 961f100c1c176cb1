import Core
import Graph
import Testing
import TestSupport

@Suite struct ExecutableTests {
  func tensors(_ graph: Graph, _ bound: [String: DoubleTensor]) -> [Tensor] {
    graph.inputs.enumerated().map { position, id in
      let value = bound[graph.inputNames[position]]!
      return graph[id].type.dtype == .int32
        ? Tensor(shape: value.shape, indices: value.values.map { Int32($0) })
        : Tensor(shape: value.shape, scalars: value.values.map { Float($0) })
    }
  }

  @Test("the planned Float32 graph matches the Double reference", arguments: GraphCase.all)
  func matchesReference(_ testCase: GraphCase) throws {
    let (graph, bound) = try testCase.make()
    let expected = try ReferenceInterpreter.evaluate(graph, inputs: bound)
    let got = try Planner.plan(graph).run(tensors(graph, bound))
    for (e, g) in zip(expected, got) {
      let mismatch = firstMismatch(g.scalars.map(Double.init), e.values, rtol: 2e-5, atol: 2e-5)
      #expect(mismatch == nil, "\(testCase.name): \(mismatch ?? "")")
    }
  }

  @Test("fusion and buffer reuse change no bit of the result", arguments: GraphCase.all)
  func planningIsExact(_ testCase: GraphCase) throws {
    let (graph, bound) = try testCase.make()
    let inputs = tensors(graph, bound)
    let plain = try Planner.plan(graph, options: PlanOptions(fusesElementwise: false, reusesBuffers: false)).run(inputs)
    let planned = try Planner.plan(graph).run(inputs)
    #expect(plain == planned)
  }

  @Test("fusion reduces the number of kernel launches")
  func fusionCounts() throws {
    let (graph, _) = try GraphCase.all[0].make(differentiated: false)
    let plain = try Planner.plan(graph, options: PlanOptions(fusesElementwise: false))
    let fused = try Planner.plan(graph)
    // ratio = exp(sub), two products, clip (2 compares, 2 selects), min, neg: one kernel.
    #expect(fused.stepCount < plain.stepCount)
    #expect(fused.stepCount == 2, "\(fused)")  // the surrogate with adv's broadcast fused in, then the sum
  }

  @Test("running again gives the same numbers and never overwrites held outputs")
  func repeatedRuns() throws {
    let (graph, bound) = try GraphCase.all[1].make()
    let executable = try Planner.plan(graph)
    let inputs = tensors(graph, bound)
    let first = try executable.run(inputs)
    var other = inputs
    other[0] = Tensor(repeating: 0.25, shape: inputs[0].shape)
    let second = try executable.run(other)
    let third = try executable.run(inputs)
    #expect(first == third)
    #expect(first != second)
  }

  @Test("executables sharing a workspace compute what private ones do, in any order, in one block about the size of the largest")
  func sharedWorkspace() throws {
    let cases = try GraphCase.all.map { try $0.make() }
    let inputs = cases.map { graph, bound in tensors(graph, bound) }
    var privateBytes: [Int] = []
    let expected = try zip(cases, inputs).map { testCase, inputs in
      let own = Workspace()
      defer { privateBytes.append(own.byteCount) }
      return try Planner.plan(testCase.0, sharing: own).run(inputs)
    }
    // Planned smallest first, so the block grows (and moves) under the executables planned before.
    let order = Array(cases.indices).sorted { privateBytes[$0] < privateBytes[$1] }
    let workspace = Workspace()
    var executables = [Executable?](repeating: nil, count: cases.count)
    for index in order { executables[index] = try Planner.plan(cases[index].0, sharing: workspace) }
    // Growth by half the block at a time: at least the largest need, at most half again.
    let largest = try #require(privateBytes.max())
    #expect(workspace.byteCount >= largest && workspace.byteCount <= largest + largest / 2)
    let first = try order.map { try executables[$0]!.run(inputs[$0]) }
    for index in order.reversed() {
      #expect(try executables[index]!.run(inputs[index]) == expected[index], "\(GraphCase.all[index].name)")
    }
    // Outputs held from the first pass were not overwritten by the other executables' runs.
    for (position, index) in order.enumerated() { #expect(first[position] == expected[index], "\(GraphCase.all[index].name)") }
  }

  @Test("inputs of the wrong shape or type are named in the error")
  func badInputs() throws {
    let builder = GraphBuilder()
    let x = builder.input("x", [2, 3])
    let executable = try Planner.plan(try builder.build(outputs: [exp(x)]))
    #expect(throws: GraphError.badInput(name: "x", reason: "expected f32[2,3], got f32[3,2]")) {
      try executable.run([Tensor(zeros: [3, 2])])
    }
    #expect(throws: GraphError.badInput(name: "x", reason: "not bound")) {
      try executable.run([String: Tensor]())
    }
  }

  @Test("an out-of-range index is an error naming the op")
  func badIndex() throws {
    let builder = GraphBuilder()
    let table = builder.input("table", [3, 2]), ids = builder.input("ids", [2], dtype: .int32)
    let executable = try Planner.plan(try builder.build(outputs: [table.gatherRows(ids)]))
    #expect(throws: GraphError.invalid(op: "gather", reason: "gather: index 5 is out of range 0..<3")) {
      try executable.run([Tensor(zeros: [3, 2]), Tensor(shape: [2], indices: [0, 5])])
    }
  }

  @Test("with finite checking, a NaN stops the run and names the op and value")
  func nonFinite() throws {
    let builder = GraphBuilder()
    let x = builder.input("x", [3])
    let y = log(x).named("log_x")
    let executable = try Planner.plan(try builder.build(outputs: [(y * 2).sum()]), options: PlanOptions(fusesElementwise: false, checksFinite: true))
    #expect(throws: GraphError.nonFinite(op: "log", value: "%1 log_x", index: 1, got: -.infinity)) {
      try executable.run([Tensor(shape: [3], scalars: [1, 0, 2])])
    }
  }

  @Test("shape mismatches are reported by build, naming the op and the shapes")
  func shapeErrors() {
    let builder = GraphBuilder()
    let a = builder.input("a", [4]), b = builder.input("b", [4, 16])
    _ = a + b
    #expect(throws: GraphError.shapeMismatch(op: "add", shapes: [[4], [4, 16]],
                                             reason: "ranks 1 and 2 differ; reshape one operand so the axes line up")) {
      try builder.build(outputs: [])
    }
    let c = GraphBuilder()
    _ = matmul(c.input("x", [2, 3]), c.input("w", [4, 5]))
    #expect(throws: GraphError.shapeMismatch(op: "matmul", shapes: [[2, 3], [4, 5]], reason: "inner sizes 3 and 4 differ")) {
      try c.build(outputs: [])
    }
  }
}

@Suite struct PrintingTests {
  @Test("a graph prints as jaxpr-like equations with types and labels")
  func printsGraph() throws {
    let builder = GraphBuilder()
    let logp = builder.input("logp", [2, 3]), oldLogp = builder.input("old_logp", [2, 3])
    let ratio = exp(logp - oldLogp).named("ratio")
    let graph = try builder.build(outputs: [ratio.mean()])
    #expect(graph.description == """
      { inputs %0:f32[2,3] logp, %1:f32[2,3] old_logp
        %2:f32[2,3] = sub %0 %1
        %3:f32[2,3] = exp %2                        # ratio
        %4:f32[6] = reshape %3
        %5:f32[] = reduce_sum[axis=0] %4
        %6:f32[] = const[0.16666667]
        %7:f32[] = mul %5 %6
        outputs %7 }
      """)
  }
}
