import Foundation

/// A learning rate as a function of the update step, set on an optimizer before each step:
///
///     optimizer.learningRate = schedule.value(at: step)      // step = 0, 1, 2, …
///
/// Steps are 0-based and count optimizer updates already taken: `value(at: 0)` is the rate of the
/// first update. Schedules compose: `.warmup` wraps any other schedule.
public indirect enum LearningRateSchedule: Sendable, Hashable {
  /// The same rate at every step.
  case constant(Float)

  /// Linear interpolation from `from` (step 0) toward `to`, reaching it at step `steps`, then
  /// holding it:
  ///
  ///     value(t) = from + (to − from) · min(t, steps) / steps
  ///
  /// With `to: 0` this is CleanRL's PPO annealing, `frac = 1 − (iteration − 1) / num_iterations;
  /// lr = frac · learning_rate` for `iteration = 1 … num_iterations`, i.e. `t = iteration − 1`:
  /// the first update uses the full rate and the last uses `from / steps`, never 0.
  case linear(from: Float, to: Float, steps: Int)

  /// Cosine annealing from `initial` at step 0 to `minimum` at step `steps`, then holding it:
  ///
  ///     value(t) = minimum + (initial − minimum) · (1 + cos(π · min(t, steps) / steps)) / 2
  ///
  /// This is `torch.optim.lr_scheduler.CosineAnnealingLR(T_max: steps, eta_min: minimum)` for
  /// `t ≤ steps`; past `T_max` torch climbs back up the cosine, this holds `minimum`.
  /// - Paper: Loshchilov & Hutter 2016, "SGDR: Stochastic Gradient Descent with Warm Restarts"
  ///   (arXiv:1608.03983).
  case cosine(initial: Float, minimum: Float, steps: Int)

  /// A linear warmup over the first `steps` updates, then `schedule` started from its step 0:
  ///
  ///     value(t) = schedule.value(0) · (startFactor + (1 − startFactor) · t / steps)   t < steps
  ///     value(t) = schedule.value(t − steps)                                          t ≥ steps
  ///
  /// With `startFactor: 0` this is the warmup of Hugging Face's
  /// `get_linear_schedule_with_warmup` (the first update has rate 0); a warmup over 0 steps is
  /// just `schedule`.
  /// - Paper: Goyal et al. 2017, "Accurate, Large Minibatch SGD" (arXiv:1706.02677).
  case warmup(steps: Int, startFactor: Float = 0, then: LearningRateSchedule)

  /// The learning rate for update `step` (0-based). A schedule over `steps ≤ 0` is already
  /// finished: `linear` gives `to`, `cosine` gives `minimum`.
  ///
  /// - Precondition: `step ≥ 0`.
  public func value(at step: Int) -> Float {
    precondition(step >= 0, "learning-rate schedule asked for negative step \(step)")
    switch self {
    case let .constant(rate):
      return rate
    case let .linear(from, to, steps):
      let fraction = steps <= 0 ? 1 : Double(min(step, steps)) / Double(steps)
      return Float(Double(from) + (Double(to) - Double(from)) * fraction)
    case let .cosine(initial, minimum, steps):
      let fraction = steps <= 0 ? 1 : Double(min(step, steps)) / Double(steps)
      return Float(Double(minimum) + (Double(initial) - Double(minimum)) * (1 + cos(Double.pi * fraction)) / 2)
    case let .warmup(steps, startFactor, schedule):
      guard step < steps else { return schedule.value(at: step - max(steps, 0)) }
      let factor = Double(startFactor) + (1 - Double(startFactor)) * Double(step) / Double(steps)
      return Float(Double(schedule.value(at: 0)) * factor)
    }
  }

  /// Checks the schedule's numbers, for schedules read from a file.
  ///
  /// - Throws: `OptimError.invalidHyperparameter` for a negative or non-finite rate, a negative
  ///   step count, or a warmup start factor outside [0, 1].
  public func validate() throws(OptimError) {
    switch self {
    case let .constant(rate):
      try OptimizerValidation.require("learningRate", rate, atLeast: 0)
    case let .linear(from, to, steps):
      try OptimizerValidation.require("from", from, atLeast: 0)
      try OptimizerValidation.require("to", to, atLeast: 0)
      try Self.requireSteps(steps)
    case let .cosine(initial, minimum, steps):
      try OptimizerValidation.require("initial", initial, atLeast: 0)
      try OptimizerValidation.require("minimum", minimum, atLeast: 0)
      try Self.requireSteps(steps)
    case let .warmup(steps, startFactor, schedule):
      try Self.requireSteps(steps)
      guard startFactor >= 0, startFactor <= 1 else {
        throw .invalidHyperparameter(name: "startFactor", value: startFactor, reason: "must be in [0, 1]")
      }
      try schedule.validate()
    }
  }

  private static func requireSteps(_ steps: Int) throws(OptimError) {
    guard steps >= 0 else {
      throw .invalidHyperparameter(name: "steps", value: Float(steps), reason: "must be ≥ 0")
    }
  }
}
