import Blocks
import Foundation
import Recipe
import Runtime

/// A resolved recipe turned into what the trainer runs: the environment task, the
/// configuration (numbers read from the recipe's compiled blocks) and the task's threshold.
struct RunSetup {
  var recipeName: String
  var task: String
  var configuration: TrainerConfiguration
  /// Gymnasium's `reward_threshold` of the task (CartPole-v1: 475); nil when it has none.
  var threshold: Double?

  /// Why a recipe that checks cannot be run (yet).
  struct Refusal: Error, CustomStringConvertible {
    var description: String
  }

  /// Gymnasium's reward thresholds and time limits of the environment tasks.
  static let thresholds: [String: Double] = ["cartpole": 475, "acrobot": -100, "mountain_car": -110]
  static let timeLimits: [String: Int] = ["cartpole": 500, "acrobot": 500, "mountain_car": 200, "pendulum": 200]

  init(_ recipe: ResolvedRecipe) throws(Refusal) {
    let values = RecipeValues(recipe)
    recipeName = recipe.name
    guard let taskBlock = recipe.blocks(in: .task).first else { throw values.refuse("the recipe names no task") }
    task = taskBlock.decl.name
    // Preference data is read whole before anything trains: a broken line stops the run here.
    if task == "preference_jsonl", let file = values.dataFile("task.preference_jsonl.path") {
      do { _ = try PreferenceDataset.read(path: file) } catch {
        throw Refusal(description: error.line > 0 ? "\(error.path):\(error.line): \(error.message)" : "\(error.path): \(error.message)")
      }
    }
    guard ClassicControl.taskNames.contains(task) else {
      throw values.refuse("'run' trains environment tasks (\(ClassicControl.taskNames.joined(separator: ", "))) so far; '\(task)' is not one")
    }
    guard let policy = recipe.blocks(in: .policy).first, policy.decl.name == "mlp" else {
      let name = recipe.blocks(in: .policy).first?.decl.name ?? "none"
      throw values.refuse("the policy '\(name)' cannot serve the environment task '\(task)'; use policy: {mlp: {...}}")
    }
    if let steps = values.number("task.\(task).max_episode_steps"), Int(steps) != Self.timeLimits[task] {
      throw values.refuse("task.\(task).max_episode_steps = \(Int(steps)): only Gymnasium's limit (\(Self.timeLimits[task] ?? 0)) is supported so far")
    }
    threshold = Self.thresholds[task] ?? Self.acceptanceThresholds[task]
    if let path = Self.gaussianSettingOnDiscreteTask(recipe, task: task) {
      throw values.refuse("\(path) sets a Gaussian head, but '\(task)' has discrete actions, which the mlp serves with a categorical head; remove it")
    }

    var c = TrainerConfiguration()
    c.envs = try values.int("rollout.envs")
    c.steps = try values.int("rollout.steps")
    c.totalSteps = try values.int("train.total_steps")
    c.epochs = try values.int("train.epochs")
    c.minibatches = try values.int("train.minibatches")
    c.seed = UInt64(try values.int("train.seed"))
    c.targetKL = values.number("train.target_kl")
    if let widths = values.list("policy.mlp.hidden") { c.hidden = widths.compactMap { $0.number.map { Int($0) } } }
    if let name = values.string("policy.mlp.activation") { c.activation = ActorCritic.Activation(rawValue: name) ?? .tanh }
    Self.readNormalization(values, into: &c)

    // The objective through the compiler's typed blocks.
    let compiled: PolicyRecipe
    do { compiled = try PolicyCompiler.recipe(from: recipe.checkResult) } catch { throw values.refuse("\(error.message)") }
    guard case .estimator(let estimator) = compiled.advantage else {
      throw values.refuse("'run' supports the gae and returns advantage estimators so far")
    }
    if let gae = estimator as? GeneralizedAdvantageEstimation {
      c.gamma = gae.gamma
      c.lambda = gae.lambda
      c.normalization = TrainerConfiguration.Normalization(rawValue: gae.normalization.rawValue) ?? .minibatch
      if let b = values.bool("advantage.gae.bootstrap_truncated") { c.bootstrapTruncated = b }
    } else if let returns = estimator as? DiscountedReturns {
      // A3C's t_max-step returns: every step bootstraps from V at the rollout's end (or at a
      // truncation), i.e. GAE with λ = 1; advantages are not whitened.
      guard returns.subtractsValue else { throw values.refuse("advantage.returns.baseline: none (REINFORCE) is not supported by 'run' yet; use baseline: value") }
      guard let n = returns.steps, n == c.steps else {
        throw values.refuse("advantage.returns.n must equal rollout.steps (\(c.steps)) for 'run' (A3C's t_max-step returns); Monte-Carlo and other n-step returns are not supported yet")
      }
      c.gamma = returns.gamma
      c.lambda = 1
      c.normalization = .none
    } else {
      throw values.refuse("'run' supports the gae and returns advantage estimators so far, not '\(type(of: estimator).declaration.name)'")
    }
    guard compiled.modifiers.isEmpty else { throw values.refuse("advantage modifiers are not supported by 'run' yet") }
    if let clip = compiled.policyLoss as? ClippedSurrogate {
      c.clipLow = clip.low
      c.clipHigh = clip.high
    } else if compiled.policyLoss is ImportanceWeightedSurrogate || compiled.policyLoss is ExpressionLoss
      || compiled.policyLoss is ClippedImportanceWeight {
      c.clipLow = nil
      c.clipHigh = nil
    } else if compiled.policyLoss is ActorCriticLoss {
      c.policyTerm = .a2c
      (c.clipLow, c.clipHigh) = (nil, nil)
    } else if let penalty = compiled.policyLoss as? PenalizedSurrogate {
      c.policyTerm = .ppoPenalty
      (c.clipLow, c.clipHigh) = (nil, nil)
      c.klCoefficientInit = penalty.beta
      c.klTarget = values.number("objective.ppo_penalty.target") ?? c.klTarget
    } else if compiled.policyLoss is MirrorDescentSurrogate {
      // mdpo: m = `steps` passes over each rollout (sugar for train.epochs: m, which must
      // agree), the KL weight 1/t_k annealed per iteration by the trainer.
      c.policyTerm = .mdpo
      (c.clipLow, c.clipHigh) = (nil, nil)
      try values.checkMirrorDescentSteps(epochs: c.epochs)
      if let schedule = values.string("objective.mdpo.schedule") { c.mdpoAnneal = schedule != "constant" }
    } else if compiled.policyLoss is TrustRegionSurrogate {
      Self.readTrustRegion(values, into: &c)
    } else {
      let slots: Set = ["ratio", "clip", "value", "entropy", "aggregate", "kl", "tis"]
      let name = recipe.blocks(in: .objective).map(\.decl.name).first { !slots.contains($0) } ?? "\(type(of: compiled.policyLoss))"
      throw values.refuse("'run' supports the clip, cispo, expr, a2c, ppo_penalty, mdpo and trpo policy losses so far, not '\(name)'")
    }
    // The trainer compiles the objective (`TrainerObjective`); `tis` weighs nothing here, as
    // the sampler is the behaviour policy. KL has no reference policy to measure against.
    if let kl = compiled.kl, kl.placement != .loss || !kl.isAgainstOld || kl.adaptive != nil || kl.estimator == .full {
      throw values.refuse("objective.kl on an environment task must be {in: loss, against: old} with a fixed coef and a sampled estimator (k1, k2, k3, abs): there is no reference policy, no per-step KL reward and no whole-distribution input")
    }
    guard compiled.ratio.proximal == .old else { throw values.refuse("objective.ratio.proximal: ewma is not supported by 'run' yet") }
    guard let value = compiled.value else { throw values.refuse("an actor-critic run needs objective.value") }
    c.valueCoefficient = value.coefficient
    c.valueClip = value.isClipped ? value.clipRange : nil
    c.entropyCoefficient = compiled.entropy?.coefficient ?? 0

    do { c.objective = try TrainerObjective(compiled) } catch { throw values.refuse("\(error)") }

    let optimizer = try OptimizerSettings(values, allowsAdamW: false)
    optimizer.apply(to: &c)
    do { try c.validate() } catch { throw values.refuse("\(error)") }
    configuration = c
  }
}
