import Core
import Graph

/// Central finite differences of a graph's scalar output, evaluated by the Double reference
/// interpreter, against the gradient graph that autodiff builds.
public enum GradientCheck {
  /// The largest relative error over all elements of all float inputs, and where it occurred.
  ///
  /// The loss is Σ output·w for fixed random weights w, so every output element matters.
  /// - Parameter inputs: values for the graph's inputs (int32 inputs are not differentiated).
  public static func worstError(
    of graph: Graph, inputs: [String: DoubleTensor], step: Double = 1e-6, seed: UInt64 = 7
  ) throws -> (error: Double, at: String) {
    let (lossGraph, loss) = try scalarized(graph, seed: seed)
    let differentiable = lossGraph.inputs.filter { lossGraph[$0].type.dtype == .float32 }
    let withGradient = try lossGraph.gradient(of: loss, withRespectTo: differentiable)
    let results = try ReferenceInterpreter.evaluate(withGradient, inputs: inputs)
    var worst = (error: 0.0, at: "")
    for (position, input) in differentiable.enumerated() {
      let name = lossGraph.inputNames[lossGraph.inputs.firstIndex(of: input)!]
      let analytic = results[1 + position].values
      for i in 0..<analytic.count {
        var plus = inputs, minus = inputs
        plus[name]!.values[i] += step
        minus[name]!.values[i] -= step
        let numeric = (try ReferenceInterpreter.evaluate(lossGraph, inputs: plus)[0].values[0]
          - ReferenceInterpreter.evaluate(lossGraph, inputs: minus)[0].values[0]) / (2 * step)
        let error = Swift.abs(numeric - analytic[i]) / Swift.max(1, Swift.abs(numeric), Swift.abs(analytic[i]))
        if error > worst.error { worst = (error, "\(name)[\(i)]: analytic \(analytic[i]), numeric \(numeric)") }
      }
    }
    return worst
  }

  /// The graph with one more output, Σ output₀·w, and that output's id.
  static func scalarized(_ graph: Graph, seed: UInt64) throws -> (Graph, ValueID) {
    let builder = GraphBuilder(extending: graph)
    let output = builder.value(graph.outputs[0])
    var random = TestRandom(seed: seed)
    let weights = Tensor(shape: output.shape, scalars: random.uniforms(output.shape.count, 0.5, 1.5).map(Float.init))
    let loss = (output * builder.constant(weights)).sum()
    return (try builder.build(outputs: [loss]), loss.id)
  }
}
