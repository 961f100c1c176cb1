import Blocks
import Core
import Graph

/// TRPO's policy step on a whole rollout of B env steps:
///
///     g = ∇_θ L(θ_old),  L(θ) = −(the recipe's compiled loss without its value term): mean(ρ·A),  ρ = π_θ(a|s) / π_old(a|s)
///     solve (F + damping·I)·s = g by conjugate gradient,  F = ∇²_θ mean KL(π_old ‖ π_θ) at θ_old
///     Δθ = sqrt(2δ / sᵀ(F + damping·I)s) · s
///     θ = θ_old + α^j·Δθ for the first j < max_backtracks with KL ≤ δ and L(θ) > L(θ_old);
///     θ_old when none qualifies
///
/// The Fisher-vector products differentiate the graph twice: F·v = ∇_θ(∇_θ KL · v), the
/// Hessian of the mean KL at θ_old (where it equals the Fisher information), exact for the
/// categorical and the Gaussian head. The critic is fit by the trainer's minibatch loop.
/// The surrogate is the recipe's compiled objective (`trpo`'s −A·ρ, token_mean, and any
/// `kl` or `entropy` slot) on the rollout, inlined as the trainer's update inlines it; the
/// constraint is the exact KL of the head, not the objective's sampled `kl` term.
/// - Paper: Schulman et al. 2015, "Trust Region Policy Optimization" (arXiv:1502.05477).
/// - Matches: SB3-contrib `TRPO.train` (conjugate gradient with residual tolerance 1e-10,
///   the damped product in the step size, the line search's strict improvement), except that
///   the accepted KL may equal δ (the block's "KL ≤ δ") and KL is KL(π_old ‖ π) as the paper's.
public final class TrustRegionStep {
  /// The settings of the `trpo` block.
  public struct Settings: Sendable, Hashable, Codable {
    public var maxKL = 0.01
    public var conjugateGradientIterations = 10
    public var damping = 0.1
    public var backtrack = 0.8
    public var maxBacktracks = 10
    public init() {}
  }

  /// What one step did.
  public struct Outcome: Sendable, Equatable {
    /// L(θ) before and after the step (equal when the line search failed).
    public var surrogateBefore: Double, surrogateAfter: Double
    /// Mean KL(π_old ‖ π) of the accepted step (0 when none was accepted).
    public var kl: Double
    /// Mean entropy of π_old on the rollout.
    public var entropy: Double
    /// Backtracking steps taken; nil when the line search failed.
    public var backtracks: Int?
  }

  public let policy: ActorCritic
  public let batchSize: Int
  public let settings: Settings
  /// Inputs: parameters, observations → the head at θ (the old policy's logits or means).
  private let head: Executable
  /// Inputs: parameters, observations, actions, old_logp, advantages, old head (and old
  /// log std); outputs: L, KL, entropy, then ∇L per parameter.
  private let surrogateGradient: Executable
  /// The same without the gradients (the line search).
  private let surrogate: Executable
  /// Inputs: parameters, observations, old head (and old log std), a tangent per
  /// parameter; outputs end with F·v per parameter.
  private let fisher: Executable
  /// The batch inputs after the parameters, in `surrogate`'s order.
  private var observations: Tensor, actions: Tensor, oldLogProbs: Tensor, advantages: Tensor
  private var oldHead: Tensor, oldLogStd: Tensor?

  /// Plans the graphs for rollouts of `batchSize` rows; the surrogate is `recipe`'s
  /// objective less its value term.
  public init(policy: ActorCritic, batchSize: Int, settings: Settings, recipe: PolicyRecipe) throws(RuntimeError) {
    self.policy = policy
    self.batchSize = batchSize
    self.settings = settings
    let width = policy.actionSpace.width
    observations = Tensor(zeros: [batchSize, policy.observationSize])
    actions = policy.isGaussian ? Tensor(zeros: [batchSize, width]) : Tensor(zeros: [batchSize], dtype: .int32)
    oldLogProbs = Tensor(zeros: [batchSize])
    advantages = Tensor(zeros: [batchSize])
    oldHead = Tensor(zeros: [batchSize, width])
    oldLogStd = policy.isGaussian ? Tensor(zeros: [1, width]) : nil
    let forward = try Self.surrogateGraph(policy, batchSize, recipe: recipe)
    do {
      head = try Planner.plan(try Self.headGraph(policy, batchSize))
      surrogate = try Planner.plan(forward.graph)
      surrogateGradient = try Planner.plan(try forward.graph.gradient(of: forward.graph.outputs[0], withRespectTo: forward.parameters))
      fisher = try Planner.plan(try Self.fisherGraph(policy, batchSize))
    } catch {
      throw .graph(error)
    }
  }

  // MARK: - Graphs

  static func headGraph(_ policy: ActorCritic, _ batch: Int) throws(GraphError) -> Graph {
    let g = GraphBuilder()
    let parameters = policy.parameters.map { g.input($0.name, $0.shape) }
    let outputs = policy.forward(g.input("observations", [batch, policy.observationSize]), parameters: parameters)
    return try g.build(outputs: [outputs.head])
  }

  /// Mean KL(π_old ‖ π_θ) over the batch, with the old head as inputs.
  private static func meanKL(_ policy: ActorCritic, _ outputs: ActorCritic.Outputs, _ g: GraphBuilder, _ batch: Int) -> Value {
    let width = policy.actionSpace.width
    let oldHead = g.input("old_head", [batch, width])
    if let logStd = outputs.logStd {
      let oldLogStd = g.input("old_log_std", [1, width])
      return ActionDistribution.gaussianKL(oldMean: oldHead, oldLogStd: oldLogStd, mean: outputs.head, logStd: logStd).mean()
    }
    return ActionDistribution.categoricalKL(oldLogits: oldHead, logits: outputs.head).mean()
  }

  /// Outputs L, the mean KL(π_old ‖ π_θ) and the mean entropy (both detached).
  static func surrogateGraph(_ policy: ActorCritic, _ batch: Int, recipe: PolicyRecipe) throws(RuntimeError) -> (graph: Graph, parameters: [ValueID]) {
    var policyPart = recipe
    policyPart.value = nil
    let program = try Trainer.compileObjective(policyPart, rows: batch)
    let g = GraphBuilder()
    let parameters = policy.parameters.map { g.input($0.name, $0.shape) }
    let observations = g.input("observations", [batch, policy.observationSize])
    let actions = policy.isGaussian ? g.input("actions", [batch, policy.actionSpace.width]) : g.input("actions", [batch], dtype: .int32)
    let oldLogProbs = g.input("old_logp", [batch]), advantages = g.input("advantages", [batch])
    let outputs = policy.forward(observations, parameters: parameters)
    let logProbs: Value, entropy: Value
    if let logStd = outputs.logStd {
      logProbs = ActionDistribution.gaussianLogProb(mean: outputs.head, logStd: logStd, actions: actions)
      entropy = ActionDistribution.gaussianEntropy(logStd: logStd, batch: batch)
    } else {
      logProbs = ActionDistribution.categoricalLogProb(logits: outputs.head, actions: actions)
      entropy = ActionDistribution.categoricalEntropy(logits: outputs.head)
    }
    let terms = try Trainer.inlineObjective(program, logProbs: logProbs, entropy: entropy, values: outputs.values,
                                            oldLogProbs: oldLogProbs, advantages: advantages)
    guard let loss = terms["loss"] else {
      throw .invalidConfiguration(reason: "internal error: the compiled objective has no loss (please report)")
    }
    let kl = meanKL(policy, outputs, g, batch)
    let graph: Graph
    do { graph = try g.build(outputs: [-loss, stopGradient(kl), stopGradient(entropy.mean())]) } catch { throw .graph(error) }
    // NOTE: `step` binds the inputs by position; an objective that reads more (a kl_coef, the
    // critic's values) has no place here.
    let expected = parameters.count + (policy.isGaussian ? 6 : 5)
    guard graph.inputs.count == expected else {
      throw .invalidConfiguration(reason: "trpo's surrogate reads more than the rollout's log-probs and advantages: \(graph.inputNames.dropFirst(expected))")
    }
    return (graph, parameters.map(\.id))
  }

  /// F·v = ∇_θ(∇_θ KL · v): the gradient graph of the mean KL, extended by the dot product
  /// with the tangents, differentiated again.
  static func fisherGraph(_ policy: ActorCritic, _ batch: Int) throws(GraphError) -> Graph {
    let g = GraphBuilder()
    let parameters = policy.parameters.map { g.input($0.name, $0.shape) }
    let observations = g.input("observations", [batch, policy.observationSize])
    let outputs = policy.forward(observations, parameters: parameters)
    let kl = meanKL(policy, outputs, g, batch)
    let tangents = policy.parameters.map { g.input("tangent." + $0.name, $0.shape) }
    let first = try g.build(outputs: [kl]).gradient(of: kl.id, withRespectTo: parameters.map(\.id))
    let extended = GraphBuilder(extending: first)
    let gradients = first.outputs.dropFirst().map(extended.value)
    let dot = zip(gradients, tangents).map { gradient, tangent in (gradient * extended.value(tangent.id)).sum() }
      .reduce(extended.scalar(0), +)
    let withDot = try extended.build(outputs: [dot])
    return try withDot.gradient(of: withDot.outputs[0], withRespectTo: parameters.map(\.id))
  }

  // MARK: - The step

  /// Takes the step on a rollout: `observations` `[B·obs]`, the sampled actions (int32 or
  /// `[B·d]` floats), their log-probabilities under θ_old and the (whitened) advantages;
  /// updates `parameters` in place.
  ///
  /// - Throws: `RuntimeError.nonFinite` when the gradient, a Fisher product or the step
  ///   stops being finite (the parameters are then left at θ_old).
  public func step(parameters: inout [Tensor], observations rolloutObservations: [Float], actionsInt: [Int32], actionsFloat: [Float],
                   logProbs: [Float], advantages rolloutAdvantages: [Float], iteration: Int) throws(RuntimeError) -> Outcome {
    observations.mutableFloats().update(from: rolloutObservations, count: observations.count)
    if policy.isGaussian {
      actions.mutableFloats().update(from: actionsFloat, count: actions.count)
    } else {
      actions.mutableInt32s().update(from: actionsInt, count: actions.count)
    }
    oldLogProbs.mutableFloats().update(from: logProbs, count: batchSize)
    advantages.mutableFloats().update(from: rolloutAdvantages, count: batchSize)
    let headOutputs = try run(head, parameters + [observations])
    oldHead.mutableFloats().update(from: headOutputs[0].floats, count: oldHead.count)
    if oldLogStd != nil { oldLogStd!.mutableFloats().update(from: parameters[parameters.count - 1].floats, count: policy.actionSpace.width) }
    let oldParameters = parameters.map(\.scalars)

    let before = try run(surrogateGradient, surrogateInputs(parameters))
    let count = parameters.count
    let gradient = before[3..<(3 + count)].map(\.scalars)
    let surrogateBefore = Double(before[0].floats[0]), entropy = Double(before[2].floats[0])
    guard gradient.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
      throw .nonFinite(iteration: iteration, term: "trpo policy gradient", value: "\(gradient.flatMap { $0 }.first { !$0.isFinite } ?? .nan)")
    }
    let fisherInputs = parameters + [observations, oldHead] + (oldLogStd.map { [$0] } ?? [])
    func product(_ v: [[Float]]) throws(RuntimeError) -> [[Float]] {
      let outputs = try run(fisher, fisherInputs + zip(v, parameters).map { Tensor(shape: $1.shape, scalars: $0) })
      let products = outputs.suffix(count).map(\.scalars)
      return zip(products, v).map { p, x in zip(p, x).map { $0 + Float(settings.damping) * $1 } }
    }
    let direction = try Self.conjugateGradient(product, gradient, iterations: settings.conjugateGradientIterations)
    let curvature = Self.dot(direction, try product(direction))
    let scale = (2 * settings.maxKL / curvature).squareRoot()
    guard scale.isFinite, curvature > 0 else {
      throw .nonFinite(iteration: iteration, term: "trpo step size sqrt(2δ / sᵀFs)", value: "sᵀFs = \(curvature)")
    }
    var coefficient = 1.0
    for j in 0..<settings.maxBacktracks {
      for k in 0..<count {
        let destination = parameters[k].mutableFloats()
        for i in 0..<oldParameters[k].count {
          destination[i] = oldParameters[k][i] + Float(coefficient * scale) * direction[k][i]
        }
      }
      let after = try run(surrogate, surrogateInputs(parameters))
      let value = Double(after[0].floats[0]), kl = Double(after[1].floats[0])
      if kl.isFinite, value.isFinite, kl <= settings.maxKL, value > surrogateBefore {
        return Outcome(surrogateBefore: surrogateBefore, surrogateAfter: value, kl: kl, entropy: entropy, backtracks: j)
      }
      coefficient *= settings.backtrack
    }
    for k in 0..<count { parameters[k].mutableFloats().update(from: oldParameters[k], count: oldParameters[k].count) }
    return Outcome(surrogateBefore: surrogateBefore, surrogateAfter: surrogateBefore, kl: 0, entropy: entropy, backtracks: nil)
  }

  private func surrogateInputs(_ parameters: [Tensor]) -> [Tensor] {
    parameters + [observations, actions, oldLogProbs, advantages, oldHead] + (oldLogStd.map { [$0] } ?? [])
  }

  private func run(_ executable: Executable, _ inputs: [Tensor]) throws(RuntimeError) -> [Tensor] {
    do { return try executable.run(inputs) } catch { throw .graph(error) }
  }

  // MARK: - Conjugate gradient

  /// Solves A·x = b for a symmetric positive-definite A given as a product, starting at
  /// x = 0, for at most `iterations` steps or until rᵀr < 1e-10 (SB3-contrib's
  /// `conjugate_gradient_solver`).
  static func conjugateGradient(_ product: ([[Float]]) throws(RuntimeError) -> [[Float]], _ b: [[Float]],
                                iterations: Int) throws(RuntimeError) -> [[Float]] {
    var x = b.map { [Float](repeating: 0, count: $0.count) }
    var r = b, p = b
    var rr = dot(r, r)
    for i in 0..<iterations {
      let ap = try product(p)
      let alpha = rr / dot(p, ap)
      axpy(Float(alpha), p, &x)
      if i == iterations - 1 { break }
      axpy(Float(-alpha), ap, &r)
      let next = dot(r, r)
      if next < 1e-10 { break }
      let beta = Float(next / rr)
      for k in p.indices { for j in p[k].indices { p[k][j] = r[k][j] + beta * p[k][j] } }
      rr = next
    }
    return x
  }

  static func dot(_ a: [[Float]], _ b: [[Float]]) -> Double {
    var total = 0.0
    for (x, y) in zip(a, b) { for j in x.indices { total += Double(x[j]) * Double(y[j]) } }
    return total
  }

  static func axpy(_ alpha: Float, _ x: [[Float]], _ y: inout [[Float]]) {
    for k in y.indices { for j in y[k].indices { y[k][j] += alpha * x[k][j] } }
  }
}
