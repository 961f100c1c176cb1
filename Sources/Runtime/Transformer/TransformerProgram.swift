import Core
import Graph

/// The transformer compiled for one batch shape (rows, promptLength, responseLength): the
/// forward pass (`evaluate`) and its vector–Jacobian product with respect to every parameter
/// (`gradient`), each a planned graph made on first use.
///
///     let program = try TransformerProgram(configuration, rows: 32, promptLength: 8, responseLength: 56)
///     let outputs = try program.evaluate(parameters, batch)          // logp, entropy, value
///     let (_, gradients) = try program.gradient(parameters, batch, gradLogp: dLossDLogp, gradValue: nil)
///
/// The trainer seeds `gradLogp` with dLoss/dlogp from its compiled objective; a frozen
/// reference policy for KL is the same program evaluated on other parameters. One call at a
/// time: both passes keep their intermediate values in `workspace`, which a trainer shares
/// with its other programs (one per batch shape) so that compiling another shape does not
/// allocate and fault in fresh memory.
public final class TransformerProgram {
  public let configuration: TransformerConfiguration
  public let rows: Int, promptLength: Int, responseLength: Int
  /// The forward graph (see `TransformerGraph` for its inputs and outputs).
  public let forward: TransformerGraph
  /// Where both passes keep their intermediate values.
  public let workspace: Workspace
  private var evaluation: Executable?
  private var training: Executable?

  /// - Parameter workspace: shared with the caller's other programs that never run at the
  ///   same time as this one; a new one by default.
  /// - Throws: `RuntimeError.invalidPolicy` for an invalid configuration, a non-positive
  ///   size, or `promptLength + responseLength` beyond the context.
  public init(_ configuration: TransformerConfiguration, rows: Int, promptLength: Int, responseLength: Int,
              workspace: Workspace = Workspace()) throws(RuntimeError) {
    forward = try TransformerGraph(configuration, rows: rows, promptLength: promptLength, responseLength: responseLength)
    self.workspace = workspace
    self.configuration = configuration
    self.rows = rows
    self.promptLength = promptLength
    self.responseLength = responseLength
  }

  /// log-probs, entropies and (with the value head) values of `batch`'s responses.
  ///
  /// - Throws: `RuntimeError.invalidTokens` for a batch of another shape, bad lengths or token
  ///   ids outside the vocabulary; `.invalidPolicy` for parameters of another configuration.
  public func evaluate(_ parameters: TransformerParameters, _ batch: TokenRows) throws(RuntimeError) -> TransformerOutputs {
    let inputs = try checkedInputs(parameters, batch)
    if evaluation == nil { evaluation = try plan(forward.graph) }
    guard let evaluation else { preconditionFailure("planned above") }
    let results: [Tensor]
    do { results = try evaluation.run(inputs) } catch { throw .graph(error) }
    return TransformerOutputs(logp: results[0], entropy: results[1], value: configuration.valueHead ? results[2] : nil)
  }

  /// The forward pass, then the gradient with respect to every parameter (in `tensors` order) of
  ///
  ///     Σ_{b,t} gradLogp[b, t]·logp[b, t] + Σ_{b,t} gradValue[b, t]·value[b, t]
  ///
  /// - Parameters:
  ///   - gradLogp: `[rows, responseLength]`, dLoss/dlogp (padding entries are ignored: logp is 0 there).
  ///   - gradValue: `[rows, responseLength]` dLoss/dvalue with the value head; nil counts as zeros.
  /// - Throws: as `evaluate`, and `RuntimeError.invalidTokens` for seeds of the wrong shape.
  public func gradient(_ parameters: TransformerParameters, _ batch: TokenRows, gradLogp: Tensor,
                       gradValue: Tensor?) throws(RuntimeError) -> (outputs: TransformerOutputs, gradients: [Tensor]) {
    var inputs = try checkedInputs(parameters, batch)
    let seedShape: Shape = [rows, responseLength]
    guard gradLogp.shape == seedShape, gradLogp.dtype == .float32 else {
      throw .invalidTokens(reason: "gradLogp must be float32\(seedShape), got \(gradLogp.dtype)\(gradLogp.shape)")
    }
    inputs.append(gradLogp)
    if configuration.valueHead {
      if let gradValue {
        guard gradValue.shape == seedShape, gradValue.dtype == .float32 else {
          throw .invalidTokens(reason: "gradValue must be float32\(seedShape), got \(gradValue.dtype)\(gradValue.shape)")
        }
        inputs.append(gradValue)
      } else {
        inputs.append(Tensor(zeros: seedShape))
      }
    } else if gradValue != nil {
      throw .invalidTokens(reason: "gradValue was given but the transformer has no value head")
    }
    if training == nil { training = try plan(try trainingGraph()) }
    guard let training else { preconditionFailure("planned above") }
    let results: [Tensor]
    do { results = try training.run(inputs) } catch { throw .graph(error) }
    let outputCount = configuration.valueHead ? 3 : 2
    let outputs = TransformerOutputs(logp: results[0], entropy: results[1], value: configuration.valueHead ? results[2] : nil)
    // Outputs: logp, entropy, (value), the seeded sum, then one gradient per parameter.
    return (outputs, Array(results[(outputCount + 1)...]))
  }

  /// The forward graph with inputs `grad_logp` (and `grad_value`), the seeded sum as an extra
  /// output, and the gradient of that sum appended to the outputs.
  public func trainingGraph() throws(RuntimeError) -> Graph {
    let graph = forward.graph
    let g = GraphBuilder(extending: graph)
    let seedShape: Shape = [rows, responseLength]
    let logp = g.value(graph.outputs[0])
    var total = (logp * g.input("grad_logp", seedShape)).sum()
    if configuration.valueHead {
      total = total + (g.value(graph.outputs[2]) * g.input("grad_value", seedShape)).sum()
    }
    let parameterIDs = Array(graph.inputs.prefix(TransformerParameters.layout(of: configuration).count))
    do {
      let seeded = try g.build(outputs: graph.outputs.map { g.value($0) } + [total.named("seeded_sum")])
      return try seeded.gradient(of: total.id, withRespectTo: parameterIDs)
    } catch {
      throw .graph(error)
    }
  }

  private func checkedInputs(_ parameters: TransformerParameters, _ batch: TokenRows) throws(RuntimeError) -> [Tensor] {
    try parameters.validate(for: configuration)
    try batch.validate(rows: rows, promptLength: promptLength, responseLength: responseLength, vocabulary: configuration.vocabulary)
    return parameters.tensors + TransformerGraph.batchInputs(batch)
  }

  private func plan(_ graph: Graph) throws(RuntimeError) -> Executable {
    do { return try Planner.plan(graph, sharing: workspace) } catch { throw .graph(error) }
  }
}
