import Graph

extension ActorCritic {
  /// The policy's terms for a minibatch, handed to an objective to combine into a loss.
  public struct BatchTerms {
    /// `[B, observationSize]` input `observations`.
    public let observations: Value
    /// The input `actions`: int32 `[B]` (categorical) or float32 `[B, d]` (Gaussian).
    public let actions: Value
    /// `[B]` log π_θ(a | s) of those actions under the current parameters.
    public let logProbs: Value
    /// `[B]` entropy of π_θ(· | s).
    public let entropy: Value
    /// `[B]` V_θ(s).
    public let values: Value
    /// The builder, for the objective's own inputs (`old_logp`, `advantages`, …).
    public var builder: GraphBuilder { observations.builder }
  }

  /// What an objective returns: the scalar loss to minimize and named scalars to report.
  public struct Objective {
    public var loss: Value
    /// Extra outputs (e.g. `pg_loss`, `approx_kl`), in the order they should appear.
    public var metrics: [(name: String, value: Value)]

    public init(loss: Value, metrics: [(name: String, value: Value)] = []) {
      self.loss = loss
      self.metrics = metrics
    }
  }

  /// A training graph: the objective and its gradient with respect to every parameter.
  public struct TrainingGraph {
    /// Inputs: the parameters (in `parameters` order), `observations`, `actions`, then the
    /// inputs the objective made, in the order it made them (see `batchInputNames`).
    /// Outputs: the loss, the metrics, then d loss / d parameter for each parameter.
    public let graph: Graph
    /// The same graph without the gradient outputs (for gradient checks and printing).
    public let forward: Graph
    /// The names of the non-parameter inputs, in order.
    public let batchInputNames: [String]
    /// The metrics' names, in output order after the loss.
    public let metricNames: [String]
    /// Number of parameter tensors (and gradient outputs).
    public let parameterCount: Int
  }

  /// Builds the training graph for minibatches of `batchSize` rows:
  ///
  ///     let training = try policy.trainingGraph(batchSize: 128) { terms in
  ///       let advantages = terms.builder.input("advantages", [128])
  ///       return .init(loss: -(terms.logProbs * advantages).mean())
  ///     }
  ///     let executable = try Planner.plan(training.graph)
  ///
  /// - Parameter objective: combines the policy's terms (and its own inputs) into a loss;
  ///   the compiled recipe's objective plugs in here.
  /// - Throws: `RuntimeError.graph` for a shape error in the objective or a non-scalar loss.
  public func trainingGraph(batchSize: Int, objective: (BatchTerms) throws(RuntimeError) -> Objective) throws(RuntimeError) -> TrainingGraph {
    guard batchSize > 0 else { throw .invalidPolicy(reason: "batch size \(batchSize) must be positive") }
    let g = GraphBuilder()
    let parameterValues = parameters.map { g.input($0.name, $0.shape) }
    let observations = g.input("observations", [batchSize, observationSize])
    let actions = isGaussian ? g.input("actions", [batchSize, actionSpace.width])
      : g.input("actions", [batchSize], dtype: .int32)
    let outputs = forward(observations, parameters: parameterValues)
    let logProbs: Value, entropy: Value
    if let logStd = outputs.logStd {
      logProbs = ActionDistribution.gaussianLogProb(mean: outputs.head, logStd: logStd, actions: actions)
      entropy = ActionDistribution.gaussianEntropy(logStd: logStd, batch: batchSize)
    } else {
      logProbs = ActionDistribution.categoricalLogProb(logits: outputs.head, actions: actions)
      entropy = ActionDistribution.categoricalEntropy(logits: outputs.head)
    }
    let terms = BatchTerms(observations: observations, actions: actions, logProbs: logProbs.named("logp"),
                           entropy: entropy.named("entropy"), values: outputs.values)
    let result = try objective(terms)
    do {
      let forwardGraph = try g.build(outputs: [result.loss] + result.metrics.map(\.value))
      let withGradient = try forwardGraph.gradient(of: result.loss.id, withRespectTo: parameterValues.map(\.id))
      let names = forwardGraph.inputNames
      return TrainingGraph(graph: withGradient, forward: forwardGraph, batchInputNames: Array(names.dropFirst(parameterValues.count)),
                           metricNames: result.metrics.map(\.name), parameterCount: parameterValues.count)
    } catch {
      throw .graph(error)
    }
  }
}
