import Blocks
import Core
import Foundation
import Graph
import Optim

/// One loop for actor-critic recipes on vector environments:
///
///     rollout (N envs × T steps, sampling from the policy; observations normalized and
///              rewards scaled when `rollout.normalize` is on: `VectorNormalization`)
///       → GAE (bootstrapping through truncation, not termination)
///       → trpo only: the trust-region policy step on the whole rollout (`TrustRegionStep`)
///       → epochs × shuffled minibatches: the recipe's compiled objective (PPO's: clipped
///         surrogate + clipped value loss − entropy bonus), global-norm gradient clipping,
///         Adam at the annealed rate
///       → metrics
///
/// Every buffer is made in `init`; an iteration allocates nothing of its own. One seed: the
/// root `Philox(seed:)` is forked into stream 0 (parameter init), 1 (environment seed), 2
/// (action sampling) and 3 (minibatch shuffling), so a run is reproducible bit for bit.
///
/// The minibatch loss is the recipe's compiled objective (`PolicyProgram`, `Stage.update`)
/// on a batch of env steps, each a one-token sequence in a group of its own, inlined into
/// the policy's training graph and differentiated with it (`Trainer.objective`): what
/// `porecipe explain` prints is what trains. `ppo_penalty`'s adaptive β and `mdpo`'s annealed
/// KL weight 1/t_k enter as the input `kl_coef`; `trpo`'s minibatches fit only the critic.
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
  public internal(set) var parameters: [Tensor]
  public internal(set) var optimizer: Adam
  /// Iterations completed.
  public internal(set) var iteration = 0
  public internal(set) var samplingRNG: Philox
  public internal(set) var shuffleRNG: Philox
  /// `ppo_penalty`'s β for the next iteration: `beta_init`, then adapted after each
  /// iteration (`adaptedKLCoefficient`); or `mdpo`'s KL weight 1/t_k for the next iteration
  /// (`mirrorDescentKLCoefficient`); checkpointed.
  public internal(set) var klCoefficient: Double
  /// The running observation and return statistics (`rollout.normalize`); checkpointed.
  public internal(set) var normalization: VectorNormalization

  let sampler: PolicySampler
  /// `trpo`'s policy step (nil for other objectives).
  let trustRegion: TrustRegionStep?
  /// Whether the objective clips the ratio (`clip`): `clip_frac` is reported.
  let clipsRatio: Bool
  let update: Executable
  let schedule: LearningRateSchedule
  var step: VectorStep
  var sample: PolicySample
  var scratchValues: Tensor
  /// What the policy sees: `step.observations` and `step.finalObservations` normalized
  /// (copies when `rollout.normalize` is off).
  var policyObservations: Tensor, policyFinalObservations: Tensor
  // Rollout, step-major: row t · N + i.
  var observations: [Float], actionsInt: [Int32], actionsFloat: [Float]
  var logProbs: [Float], values: [Float], rewards: [Float]
  var terminated: [Bool], truncated: [Bool], truncationValues: [Float]
  var advantages: [Float], returns: [Float]
  var order: [Int]
  // Minibatch inputs, in the training graph's order after the parameters.
  var batchInputs: [Tensor]
  var batchSlots: (observations: Int, actions: Int, oldLogProbs: Int, advantages: Int, returns: Int, oldValues: Int?, klCoefficient: Int?)
  var inputs: [Tensor] = []
  var gradients: [Tensor] = []
  var outputGradients: [Tensor] = []
  /// Sums of the metrics over an iteration's updates, in `metricNames` order.
  var lastApproxKL = 0.0
  var sums = [Double](repeating: 0, count: 5)
  static let metricNames = ["pg_loss", "value_loss", "entropy", "approx_kl", "clip_frac"]

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
                             hiddenSizes: configuration.hidden, activation: configuration.activation,
                             initialLogStd: Float(configuration.initialLogStd),
                             stateDependentExploration: configuration.stateDependentExploration)
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
    policyObservations = Tensor(zeros: [envs, policy.observationSize])
    policyFinalObservations = policyObservations
    normalization = VectorNormalization(envs: envs, observationSize: policy.observationSize,
                                        normalizesObservations: configuration.normalizesObservations,
                                        scalesRewards: configuration.scalesRewards, gamma: configuration.gamma,
                                        clip: configuration.normalizationClip)
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

    let recipe = try configuration.objectiveRecipe()
    let size = configuration.minibatchSize
    clipsRatio = recipe.policyLoss is ClippedSurrogate
    trustRegion = configuration.policyTerm == .trpo
      ? try TrustRegionStep(policy: policy, batchSize: batch, settings: configuration.trustRegion, recipe: recipe) : nil
    let program = try Self.compileObjective(recipe, rows: size)
    let training = try policy.trainingGraph(batchSize: size,
                                            objective: Self.objective(program, recipe: recipe, criticOnly: configuration.policyTerm == .trpo))
    do { update = try Planner.plan(training.graph) } catch { throw .graph(error) }
    var tensors: [Tensor] = []
    var slots: [String: Int] = [:]
    for name in training.batchInputNames {
      slots[name] = tensors.count
      switch name {
      case "observations": tensors.append(Tensor(zeros: [size, policy.observationSize]))
      case "actions": tensors.append(policy.isGaussian ? Tensor(zeros: [size, width]) : Tensor(zeros: [size], dtype: .int32))
      case "kl_coef": tensors.append(Tensor(scalar: 0))
      default: tensors.append(Tensor(zeros: [size]))
      }
    }
    batchInputs = tensors
    guard let observationSlot = slots["observations"], let actionSlot = slots["actions"], let oldLogProbSlot = slots["old_logp"],
          let advantageSlot = slots["advantages"], let returnSlot = slots["returns"] else {
      throw .invalidConfiguration(reason: "internal error: the update graph lacks a batch input (please report)")
    }
    batchSlots = (observationSlot, actionSlot, oldLogProbSlot, advantageSlot, returnSlot, slots["values"], slots["kl_coef"])
    inputs.reserveCapacity(parameters.count + tensors.count)
    gradients = parameters.map { Tensor(zeros: $0.shape) }
    outputGradients.reserveCapacity(parameters.count)
    try environment.reset(into: &step)
    normalization.update(observations: step.observations)
    normalization.normalize(step.observations, into: &policyObservations)
  }

  /// What the policy acts on next, `[N, observationSize]`.
  var currentObservations: Tensor { step.observations }
  /// The minibatch order the last shuffle left.
  var minibatchOrder: [Int] { order }

  /// Sets the counters and buffers a checkpoint restores (after the checks in `restore`).
  func restoreCounters(state: TrainerCheckpoint.State, parameters restored: [Tensor], optimizer restoredOptimizer: Adam,
                       normalization restoredNormalization: VectorNormalization) {
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
    normalization = restoredNormalization
    normalization.normalize(step.observations, into: &policyObservations)
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
    // trpo: the policy's natural-gradient step on the whole rollout, then the critic's fit.
    let trustRegionOutcome = try trustRegion?.step(parameters: &parameters, observations: observations, actionsInt: actionsInt,
                                                   actionsFloat: actionsFloat, logProbs: logProbs, advantages: advantages,
                                                   iteration: number)

    let c = configuration
    let beta = klCoefficient
    if let slot = batchSlots.klCoefficient { batchInputs[slot].mutableFloats()[0] = Float(beta) }
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
      if c.policyTerm != .trpo, let target = c.targetKL, lastKL > target { break }
    }
    // ppo_penalty: d is the mean approx_kl over the last epoch's minibatches.
    if c.policyTerm == .ppoPenalty {
      klCoefficient = Self.adaptedKLCoefficient(beta, kl: epochKL / Double(c.minibatches), target: c.klTarget)
    } else if c.policyTerm == .mdpo {
      klCoefficient = Self.mirrorDescentKLCoefficient(iteration: number, of: c.iterations, anneal: c.mdpoAnneal)
    }
    iteration = number
    let n = Double(Swift.max(updates, 1))
    if let outcome = trustRegionOutcome {
      // trpo reports its step: −L(θ) after it, the KL it took and π_old's entropy.
      (sums[0], sums[2], sums[3]) = (-outcome.surrogateAfter * n, outcome.entropy * n, outcome.kl * n)
    }
    return IterationMetrics(iteration: number, envSteps: number * c.batchSize, episodeReturnMean: environment.episodes.returnMean,
                            episodeLengthMean: environment.episodes.lengthMean, pgLoss: sums[0] / n, valueLoss: sums[1] / n,
                            entropy: sums[2] / n, approxKL: sums[3] / n,
                            clipFraction: clipsRatio ? sums[4] / n : nil,
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
}
