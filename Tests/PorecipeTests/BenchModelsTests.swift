@testable import porecipe
import Core
import Graph
import Testing
import TestSupport

@Suite struct BenchModelsTests {
  @Test("the bench transformer has the anchor's 413k parameters and starts near log(vocab)")
  func transformer() throws {
    let model = try BenchModels.transformer(batch: 2)
    let parameters = model.parameters.reduce(0) { $0 + $1.count }
    #expect(parameters == 413_216)
    let outputs = try model.executable.run(model.inputs)
    // Small weights give nearly uniform predictions: loss ≈ log 32 = 3.466.
    #expect(Swift.abs(outputs[0].scalar - 3.466) < 0.1)
    #expect(outputs.count == 1 + model.parameterCount)
    for (gradient, parameter) in zip(outputs.dropFirst(), model.parameters) {
      #expect(gradient.shape == parameter.shape)
      #expect(gradient.scalars.allSatisfy { $0.isFinite })
    }
  }

  @Test("the token policy bench batch fits its program and gives finite log-probs and gradients")
  func tokenPolicy() throws {
    let (program, parameters, batch, gradLogp) = try BenchmarkSuite.tokenPolicyTraining(rows: 17)  // rows 0…16 cover every response length
    let (outputs, gradients) = try program.gradient(parameters, batch, gradLogp: gradLogp, gradValue: nil)
    #expect(outputs.logp.scalars.allSatisfy { $0.isFinite && $0 <= 0 })
    #expect(gradients.count == parameters.tensors.count)
    #expect(gradients.allSatisfy { $0.scalars.allSatisfy(\.isFinite) })
  }

  @Test("the bench MLP's gradient matches the Double reference")
  func mlp() throws {
    let model = try BenchModels.mlp()
    let graph = model.executable.graph
    let bound = Dictionary(uniqueKeysWithValues: zip(graph.inputNames, model.inputs.map(DoubleTensor.init)))
    let expected = try ReferenceInterpreter.evaluate(graph, inputs: bound)
    let got = try model.executable.run(model.inputs)
    for (e, g) in zip(expected, got) {
      #expect(firstMismatch(g.scalars.map(Double.init), e.values, rtol: 1e-4, atol: 1e-5) == nil)
    }
  }
}
