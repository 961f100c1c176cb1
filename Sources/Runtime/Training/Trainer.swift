import Core
import Foundation
import Graph
import Optim

/// One loop for actor-critic recipes on vector environments:
///
///     rollout (N envs × T steps, sampling from the policy)
///       → GAE (bootstrapping through truncation, not termination)
///       → epochs × shuffled minibatches: PPO's clipped surrogate + clipped value loss −
///         entropy bonus, global-norm gradient clipping, Adam at the annealed rate
///       → metrics
///
/// Every buffer is made in `init`; an iteration allocates nothing of its own. One seed: the
/// root `Philox(seed:)` is forked into stream 0 (parameter init), 1 (environment seed), 2
/// (action sampling) and 3 (minibatch shuffling), so a run is reproducible bit for bit.
///
/// The objective is the `clip` (or `a2c`, or `ppo_penalty` with its adaptive β, or `mdpo`
/// with its annealed KL weight 1/t_k), `value`,
/// `entropy` and `token_mean` blocks' formulas on a
/// batch of env steps (each step a one-token sequence), written directly on the policy's
/// training graph: the compiled `PolicyProgram` differentiates with respect to `logp` and
/// `value_pred` only, not the entropy's logits.
///
/// - Matches: CleanRL `ppo.py` (the same loop and hyperparameters), except that truncated
///   episodes are bootstrapped from V(s_T) and that advantages are whitened with
///   `(A − mean)·rsqrt(var + 1e-8)` as the `gae` block does.
public final class Trainer {
  public let configuration: TrainerConfiguration
  /// The recipe name of the environment task (`cartpole`).
  public let task: String
  public let policy: ActorCritic
  public let environment: any VectorEnvironment
  /// The policy's parameters, updated in place.
  public private(set) var parameters: [Tensor]
  public private(set) var optimizer: Adam
  /// Iterations completed.
  public private(set) var iteration = 0
  public private(set) var samplingRNG: Philox
  public private(set) var shuffleRNG: Philox
  /// `ppo_penalty`'s β for the next iteration: `beta_init`, then adapted after each
  /// iteration (`adaptedKLCoefficient`); or `mdpo`'s KL weight 1/t_k for the next iteration
  /// (`mirrorDescentKLCoefficient`); checkpointed.
  public private(set) var klCoefficient: Double

  private let sampler: PolicySampler
  private let update: Executable
  private let schedule: LearningRateSchedule
  private var step: VectorStep
  private var sample: PolicySample
  private var scratchValues: Tensor
  // Rollout, step-major: row t · N + i.
  private var observations: [Float], actionsInt: [Int32], actionsFloat: [Float]
  private var logProbs: [Float], values: [Float], rewards: [Float]
  private var terminated: [Bool], truncated: [Bool], truncationValues: [Float]
  private var advantages: [Float], returns: [Float]
  private var order: [Int]
  // Minibatch inputs, in the training graph's order after the parameters.
  private var batchInputs: [Tensor]
  private var batchSlots: (observations: Int, actions: Int, oldLogProbs: Int, advantages: Int, returns: Int, oldValues: Int?, klCoefficient: Int?)
  private var inputs: [Tensor] = []
  private var gradients: [Tensor] = []
  private var outputGradients: [Tensor] = []
  /// Sums of the metrics over an iteration's updates, in `metricNames` order.
  private var sums = [Double](repeating: 0, count: 5)
  private static let metricNames = ["pg_loss", "value_loss", "entropy", "approx_kl", "clip_frac"]

  /// Builds the run: environments, policy and its parameters, the sampler and the planned
  /// minibatch update.
  ///
  /// - Throws: `RuntimeError.invalidConfiguration` for an impossible configuration or an
  ///   unknown task, `.graph` if a graph cannot be planned.
  public init(task: String, configuration: TrainerConfiguration) throws(RuntimeError) {
    try configuration.validate()
    let root = Philox(seed: configuration.seed)
    var environmentSeed = root.fork(stream: 1)
    guard let environment = ClassicControl.environment(named: task, count: configuration.envs, seed: environmentSeed.next64()) else {
      throw .invalidConfiguration(reason: "unknown environment task '\(task)'; known: \(ClassicControl.taskNames.joined(separator: ", "))")
    }
    self.configuration = configuration
    self.task = task
    self.environment = environment
    policy = try ActorCritic(observationSize: environment.observationSize, actionSpace: environment.actionSpace,
                             hiddenSizes: configuration.hidden, activation: configuration.activation)
    var initRNG = root.fork(stream: 0)
    parameters = try policy.initialParameters(rng: &initRNG)
    samplingRNG = root.fork(stream: 2)
    shuffleRNG = root.fork(stream: 3)
    klCoefficient = configuration.policyTerm == .mdpo
      ? Self.mirrorDescentKLCoefficient(iteration: 0, of: configuration.iterations, anneal: configuration.mdpoAnneal)
      : configuration.klCoefficientInit
    do {
      optimizer = try Adam(learningRate: Float(configuration.learningRate), betas: (configuration.adamBeta1, configuration.adamBeta2),
                           eps: Float(configuration.adamEps))
      if let to = configuration.annealTo {
        schedule = .linear(from: Float(configuration.learningRate), to: Float(to), steps: configuration.iterations)
      } else {
        schedule = .constant(Float(configuration.learningRate))
      }
    } catch {
      throw .optim(error)
    }
    let (envs, batch) = (configuration.envs, configuration.batchSize)
    sampler = try PolicySampler(policy: policy, count: envs)
    step = VectorStep(for: environment)
    sample = PolicySample(policy: policy, count: envs)
    scratchValues = Tensor(zeros: [envs])
    let width = policy.actionSpace.width
    observations = [Float](repeating: 0, count: batch * policy.observationSize)
    actionsInt = [Int32](repeating: 0, count: policy.isGaussian ? 0 : batch)
    actionsFloat = [Float](repeating: 0, count: policy.isGaussian ? batch * width : 0)
    logProbs = [Float](repeating: 0, count: batch)
    values = logProbs
    rewards = logProbs
    truncationValues = logProbs
    advantages = logProbs
    returns = logProbs
    terminated = [Bool](repeating: false, count: batch)
    truncated = terminated
    order = Array(0..<batch)

    let training = try policy.trainingGraph(batchSize: configuration.minibatchSize, objective: Self.objective(configuration))
    do { update = try Planner.plan(training.graph) } catch { throw .graph(error) }
    let size = configuration.minibatchSize
    var tensors: [Tensor] = []
    var slots: [String: Int] = [:]
    for name in training.batchInputNames {
      slots[name] = tensors.count
      switch name {
      case "observations": tensors.append(Tensor(zeros: [size, policy.observationSize]))
      case "actions": tensors.append(policy.isGaussian ? Tensor(zeros: [size, width]) : Tensor(zeros: [size], dtype: .int32))
      default: tensors.append(Tensor(zeros: [size]))
      }
    }
    batchInputs = tensors
    batchSlots = (slots["observations"]!, slots["actions"]!, slots["old_logp"]!, slots["advantages"]!, slots["returns"]!, slots["old_values"],
                  slots["kl_coef"])
    inputs.reserveCapacity(parameters.count + tensors.count)
    gradients = parameters.map { Tensor(zeros: $0.shape) }
    outputGradients.reserveCapacity(parameters.count)
    try environment.reset(into: &step)
  }

  /// What the policy acts on next, `[N, observationSize]`.
  var currentObservations: Tensor { step.observations }
  /// The minibatch order the last shuffle left.
  var minibatchOrder: [Int] { order }

  /// Sets the counters and buffers a checkpoint restores (after the checks in `restore`).
  func restoreCounters(state: TrainerCheckpoint.State, parameters restored: [Tensor], optimizer restoredOptimizer: Adam) {
    iteration = state.iteration
    klCoefficient = state.klCoefficient
      ?? (configuration.policyTerm == .mdpo
        ? Self.mirrorDescentKLCoefficient(iteration: state.iteration, of: configuration.iterations, anneal: configuration.mdpoAnneal)
        : configuration.klCoefficientInit)
    samplingRNG = Philox(state: state.sampling)
    shuffleRNG = Philox(state: state.shuffle)
    order = state.order
    parameters = restored
    optimizer = restoredOptimizer
    let observations = step.observations.mutableFloats(), final = step.finalObservations.mutableFloats()
    for k in state.observations.indices {
      observations[k] = state.observations[k]
      final[k] = state.observations[k]
    }
  }

  /// The number of iterations of the whole run.
  public var iterations: Int { configuration.iterations }
  /// Whether every iteration has run.
  public var isFinished: Bool { iteration >= iterations }

  /// Runs one iteration: a rollout, GAE, then the epochs of minibatch updates.
  ///
  /// - Throws: `RuntimeError.nonFinite` naming the iteration and the term when a loss, a
  ///   metric, the gradient norm or the policy's logits stop being finite (the parameters
  ///   are left as they were before the failing update).
  @discardableResult
  public func runIteration() throws(RuntimeError) -> IterationMetrics {
    let number = iteration + 1
    let learningRate = schedule.value(at: iteration)
    optimizer.learningRate = learningRate
    try rollout(iteration: number)
    computeAdvantages()

    let c = configuration
    let beta = klCoefficient
    if let slot = batchSlots.klCoefficient {
      let coefficients = batchInputs[slot].mutableFloats()
      for k in 0..<c.minibatchSize { coefficients[k] = Float(beta) }
    }
    for k in sums.indices { sums[k] = 0 }
    var updates = 0, epochsRun = 0, epochKL = 0.0
    for _ in 0..<c.epochs {
      shuffle()
      var lastKL = 0.0
      epochKL = 0
      for m in 0..<c.minibatches {
        gather(minibatch: m)
        lastKL = try updateMinibatch(iteration: number)
        epochKL += lastKL
        updates += 1
      }
      epochsRun += 1
      if let target = c.targetKL, lastKL > target { break }
    }
    // ppo_penalty: d is the mean approx_kl over the last epoch's minibatches.
    if c.policyTerm == .ppoPenalty {
      klCoefficient = Self.adaptedKLCoefficient(beta, kl: epochKL / Double(c.minibatches), target: c.klTarget)
    } else if c.policyTerm == .mdpo {
      klCoefficient = Self.mirrorDescentKLCoefficient(iteration: number, of: c.iterations, anneal: c.mdpoAnneal)
    }
    iteration = number
    let n = Double(Swift.max(updates, 1))
    return IterationMetrics(iteration: number, envSteps: number * c.batchSize, episodeReturnMean: environment.episodes.returnMean,
                            episodeLengthMean: environment.episodes.lengthMean, pgLoss: sums[0] / n, valueLoss: sums[1] / n,
                            entropy: sums[2] / n, approxKL: sums[3] / n,
                            clipFraction: c.policyTerm == .surrogate && c.clipLow != nil ? sums[4] / n : nil,
                            learningRate: Double(learningRate), klCoefficient: c.usesKLCoefficient ? beta : nil,
                            epochs: epochsRun, updates: updates)
  }

  /// One minibatch update on the current rollout (shuffle, gather, forward + backward,
  /// gradient clipping, Adam), outside the iteration loop: what `ppo_minibatch_update_us`
  /// measures. Call `runIteration()` first so the rollout holds data.
  public func updateOneMinibatch() throws(RuntimeError) {
    gather(minibatch: 0)
    _ = try updateMinibatch(iteration: iteration)
  }

  // MARK: - Rollout

  private func rollout(iteration number: Int) throws(RuntimeError) {
    let envs = configuration.envs, size = policy.observationSize, width = policy.actionSpace.width
    for t in 0..<configuration.steps {
      let row = t * envs
      let source = step.observations.floats
      for k in 0..<(envs * size) { observations[row * size + k] = source[k] }
      do {
        try sampler.sample(observations: step.observations, parameters: parameters, rng: &samplingRNG, into: &sample)
      } catch .core(let error) {
        throw .nonFinite(iteration: number, term: "logits", value: "\(error)")
      }
      if policy.isGaussian {
        let source = sample.actions.floats
        for k in 0..<(envs * width) { actionsFloat[row * width + k] = source[k] }
      } else {
        let source = sample.actions.int32s
        for i in 0..<envs { actionsInt[row + i] = source[i] }
      }
      let sampledLogProbs = sample.logProbs.floats, sampledValues = sample.values.floats
      for i in 0..<envs {
        logProbs[row + i] = sampledLogProbs[i]
        values[row + i] = sampledValues[i]
      }
      try environment.step(actions: sample.actions, into: &step)
      var needsBootstrap = false
      for i in 0..<envs {
        rewards[row + i] = step.rewards[i]
        terminated[row + i] = step.terminated[i]
        truncated[row + i] = step.truncated[i]
        truncationValues[row + i] = 0
        if step.truncated[i] && !step.terminated[i] { needsBootstrap = true }
      }
      if needsBootstrap && configuration.bootstrapTruncated {
        try sampler.values(observations: step.finalObservations, parameters: parameters, into: &scratchValues)
        let bootstrap = scratchValues.floats
        for i in 0..<envs where step.truncated[i] && !step.terminated[i] { truncationValues[row + i] = bootstrap[i] }
      }
    }
    try sampler.values(observations: step.observations, parameters: parameters, into: &scratchValues)
  }

  private func computeAdvantages() {
    let c = configuration
    rewards.withUnsafeBufferPointer { r in
      values.withUnsafeBufferPointer { v in
        terminated.withUnsafeBufferPointer { term in
          truncated.withUnsafeBufferPointer { trunc in
            truncationValues.withUnsafeBufferPointer { tv in
              advantages.withUnsafeMutableBufferPointer { a in
                returns.withUnsafeMutableBufferPointer { ret in
                  GeneralizedAdvantage.compute(rewards: r.baseAddress!, values: v.baseAddress!, terminated: term.baseAddress!,
                                               truncated: trunc.baseAddress!, truncationValues: tv.baseAddress!,
                                               nextValues: UnsafePointer(scratchValues.floats), envs: c.envs, steps: c.steps,
                                               gamma: c.gamma, lambda: c.lambda, bootstrapTruncated: c.bootstrapTruncated,
                                               advantages: a.baseAddress!, returns: ret.baseAddress!)
                }
              }
            }
          }
        }
      }
    }
    if c.normalization == .batch {
      advantages.withUnsafeMutableBufferPointer { Self.whiten($0.baseAddress!, count: $0.count) }
    }
  }

  /// `(A − mean)·rsqrt(var + 1e-8)` with the unbiased variance, as the `gae` block whitens.
  static func whiten(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 1 else { return }
    var sum = 0.0
    for i in 0..<count { sum += Double(x[i]) }
    let mean = sum / Double(count)
    var squares = 0.0
    for i in 0..<count { let d = Double(x[i]) - mean; squares += d * d }
    let scale = 1 / (squares / Double(count - 1) + 1e-8).squareRoot()
    for i in 0..<count { x[i] = Float((Double(x[i]) - mean) * scale) }
  }

  // MARK: - Update

  private func shuffle() {
    var i = order.count - 1
    while i > 0 {
      order.swapAt(i, shuffleRNG.integer(below: i + 1))
      i -= 1
    }
  }

  private func gather(minibatch m: Int) {
    let size = configuration.minibatchSize, obsSize = policy.observationSize, width = policy.actionSpace.width
    let start = m * size
    let s = batchSlots
    let obs = batchInputs[s.observations].mutableFloats()
    let oldLogProbs = batchInputs[s.oldLogProbs].mutableFloats()
    let adv = batchInputs[s.advantages].mutableFloats()
    let ret = batchInputs[s.returns].mutableFloats()
    let oldValues = s.oldValues.map { batchInputs[$0].mutableFloats() }
    for k in 0..<size {
      let index = order[start + k]
      for j in 0..<obsSize { obs[k * obsSize + j] = observations[index * obsSize + j] }
      oldLogProbs[k] = logProbs[index]
      adv[k] = advantages[index]
      ret[k] = returns[index]
      oldValues?[k] = values[index]
    }
    if policy.isGaussian {
      let actions = batchInputs[s.actions].mutableFloats()
      for k in 0..<size { for j in 0..<width { actions[k * width + j] = actionsFloat[order[start + k] * width + j] } }
    } else {
      let actions = batchInputs[s.actions].mutableInt32s()
      for k in 0..<size { actions[k] = actionsInt[order[start + k]] }
    }
    if configuration.normalization == .minibatch { Self.whiten(adv, count: size) }
  }

  /// One forward + backward + clip + Adam step; returns the minibatch's approx_kl.
  private func updateMinibatch(iteration number: Int) throws(RuntimeError) -> Double {
    try forwardBackward(iteration: number)
    do { try optimizer.step(parameters: &parameters, gradients: gradients) } catch { throw .optim(error) }
    return lastApproxKL
  }

  private var lastApproxKL = 0.0

  /// Runs the planned update and keeps the gradients; the outputs array is dropped on return
  /// so the gradients and parameters are uniquely referenced (updated in place).
  private func forwardBackward(iteration number: Int) throws(RuntimeError) {
    inputs.append(contentsOf: parameters)
    inputs.append(contentsOf: batchInputs)
    let outputs: [Tensor]
    do { outputs = try update.run(inputs) } catch {
      inputs.removeAll(keepingCapacity: true)
      throw .graph(error)
    }
    inputs.removeAll(keepingCapacity: true)
    let loss = outputs[0].floats[0]
    for k in 0..<5 {
      let value = outputs[1 + k].floats[0]
      guard value.isFinite else { throw .nonFinite(iteration: number, term: Self.metricNames[k], value: "\(value)") }
      sums[k] += Double(value)
    }
    guard loss.isFinite else { throw .nonFinite(iteration: number, term: "loss", value: "\(loss)") }
    lastApproxKL = Double(outputs[4].floats[0])
    // The executable keeps its output buffers, so the gradients are copied (scaled by the
    // clip factor, as `GradientClipping.clipGlobalNorm` scales them) into buffers of our own.
    for k in 6..<outputs.count { outputGradients.append(outputs[k]) }
    defer { outputGradients.removeAll(keepingCapacity: true) }
    var scale: Float = 1
    if let maxNorm = configuration.gradClip {
      let norm = Double(GradientClipping.globalNorm(outputGradients))
      guard norm.isFinite else { throw .nonFinite(iteration: number, term: "gradient norm", value: "\(norm)") }
      scale = Swift.min(Float(maxNorm / (norm + 1e-6)), 1)
    }
    for k in gradients.indices {
      let source = outputGradients[k].floats, destination = gradients[k].mutableFloats()
      if scale < 1 {
        for j in 0..<gradients[k].count { destination[j] = source[j] * scale }
      } else {
        destination.update(from: source, count: gradients[k].count)
      }
    }
  }
}
