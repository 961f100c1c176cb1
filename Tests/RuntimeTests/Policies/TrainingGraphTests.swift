import Core
import Graph
import Runtime
import Testing
import TestSupport

@Suite struct TrainingGraphTests {
  /// An actor-critic loss of PPO's shape: −logp·A − 0.01·H + 0.5·(V − R)², averaged.
  func objective(_ batch: Int) -> (ActorCritic.BatchTerms) -> ActorCritic.Objective {
    { terms in
      let advantages = terms.builder.input("advantages", [batch]), returns = terms.builder.input("returns", [batch])
      let policyLoss = -(terms.logProbs * advantages).mean()
      let valueLoss = (square(terms.values - returns) * 0.5).mean()
      return .init(loss: policyLoss - terms.entropy.mean() * 0.01 + valueLoss,
                   metrics: [("pg_loss", policyLoss), ("value_loss", valueLoss)])
    }
  }

  /// Random inputs for every input of `graph` (actions as valid indices for int32 inputs).
  func inputs(_ graph: Graph, actionCount: Int, seed: UInt64) -> [String: DoubleTensor] {
    var random = TestRandom(seed: seed)
    var result: [String: DoubleTensor] = [:]
    for (id, name) in zip(graph.inputs, graph.inputNames) {
      let type = graph[id].type
      let values = type.dtype == .int32 ? random.integers(type.shape.count, below: actionCount).map(Double.init)
        : random.uniforms(type.shape.count, -0.8, 0.8)
      result[name] = DoubleTensor(shape: type.shape, values: values)
    }
    return result
  }

  @Test("gradients of the loss w.r.t. every parameter pass a finite-difference check",
        arguments: zip([ActorCritic.Trunk.separate, .shared, .separate, .shared], [ActorCritic.Activation.tanh, .tanh, .relu, .tanh]))
  func gradientCheck(trunk: ActorCritic.Trunk, activation: ActorCritic.Activation) throws {
    for actionSpace in [ActionSpace.discrete(count: 3), .box(low: [-1, -1], high: [1, 1])] {
      let policy = try ActorCritic(observationSize: 3, actionSpace: actionSpace, hiddenSizes: [5, 4], activation: activation, trunk: trunk)
      let training = try policy.trainingGraph(batchSize: 6, objective: objective(6))
      #expect(training.batchInputNames == ["observations", "actions", "advantages", "returns"])
      #expect(training.metricNames == ["pg_loss", "value_loss"])
      let (error, location) = try GradientCheck.worstError(of: training.forward, inputs: inputs(training.forward, actionCount: 3, seed: 8))
      #expect(error < 1e-5, "\(actionSpace) \(trunk) \(activation): \(location)")
    }
  }

  @Test("the planned training graph's loss and gradients equal the Double reference")
  func plannedMatchesReference() throws {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2))
    let training = try policy.trainingGraph(batchSize: 16, objective: objective(16))
    let bound = inputs(training.graph, actionCount: 2, seed: 9)
    let expected = try ReferenceInterpreter.evaluate(training.graph, inputs: bound)
    let graph = training.graph
    let ordered = zip(graph.inputs, graph.inputNames).map { id, name -> Tensor in
      let t = bound[name] ?? DoubleTensor(shape: graph[id].type.shape, values: [])
      return graph[id].type.dtype == .int32 ? Tensor(shape: t.shape, indices: t.values.map { Int32($0) })
        : Tensor(shape: t.shape, scalars: t.values.map(Float.init))
    }
    let got = try Planner.plan(graph).run(ordered)
    #expect(got.count == 1 + 2 + training.parameterCount)
    for (g, e) in zip(got, expected) {
      #expect(firstMismatch(g.scalars.map(Double.init), e.values, rtol: 1e-4, atol: 1e-5) == nil)
    }
  }
}
