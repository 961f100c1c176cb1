import Core
import Foundation
import Optim

/// A trainer's complete state between iterations: restoring it into a fresh trainer of the
/// same task and configuration continues exactly as the original would.
public struct TrainerCheckpoint: Sendable {
  /// Everything but the tensors (`state.json`).
  public struct State: Sendable, Codable, Equatable {
    public var format = 1
    public var task: String
    public var configuration: TrainerConfiguration
    /// Iterations completed.
    public var iteration: Int
    public var sampling: Philox.State
    public var shuffle: Philox.State
    /// The minibatch order as the last shuffle left it (shuffles compose, as CleanRL's).
    public var order: [Int]
    public var environment: EnvironmentSnapshot
    /// `[N, observationSize]`: what the policy acts on next.
    public var observations: [Float]
    public var optimizerStep: Int
    /// `ppo_penalty`'s β or `mdpo`'s 1/t_k for the next iteration (absent for other objectives).
    public var klCoefficient: Double?
    /// The running statistics of `rollout.normalize` (absent when it is off).
    public var normalization: VectorNormalization?
  }

  public var state: State
  /// The parameters by name (`model.safetensors`).
  public var parameters: [(name: String, tensor: Tensor)]
  /// Adam's moments, named `exp_avg.<parameter>` and `exp_avg_sq.<parameter>` (`optimizer.safetensors`).
  public var moments: [(name: String, tensor: Tensor)]

  public init(state: State, parameters: [(name: String, tensor: Tensor)], moments: [(name: String, tensor: Tensor)]) {
    self.state = state
    self.parameters = parameters
    self.moments = moments
  }

  /// Writes `state.json`, `model.safetensors` and `optimizer.safetensors` into a temporary
  /// directory beside `directory`, then renames it to `directory` (a kill leaves either the
  /// whole checkpoint or none).
  public func write(to directory: URL) throws {
    try CheckpointDirectory(url: directory).write([
      ("state.json", try CheckpointDirectory.json(state)),
      ("model.safetensors", SafeTensors.encode(parameters)),
      ("optimizer.safetensors", SafeTensors.encode(moments)),
    ])
  }

  /// Reads a checkpoint written by `write(to:)`.
  /// - Throws: `RuntimeError.invalidCheckpoint` for missing or corrupt files.
  public static func read(from directory: URL) throws(RuntimeError) -> (state: State, parameters: [String: Tensor], moments: [String: Tensor]) {
    let files = CheckpointDirectory(url: directory)
    let state = try files.state(State.self, what: "a trainer state")
    return (state, try SafeTensors.decode(try files.data("model.safetensors")), try SafeTensors.decode(try files.data("optimizer.safetensors")))
  }
}

extension Trainer {
  /// The trainer's state now (between iterations).
  public func checkpoint() -> TrainerCheckpoint {
    let names = policy.parameters.map(\.name)
    let state = optimizer.state
    var moments: [(name: String, tensor: Tensor)] = []
    for (buffer, tensors) in state.buffers.sorted(by: { $0.key < $1.key }) {
      for (name, tensor) in zip(names, tensors) { moments.append(("\(buffer).\(name)", tensor)) }
    }
    let observations = Array(UnsafeBufferPointer(start: currentObservations.floats, count: currentObservations.count))
    return TrainerCheckpoint(
      state: .init(task: task, configuration: configuration, iteration: iteration, sampling: samplingRNG.state,
                   shuffle: shuffleRNG.state, order: minibatchOrder, environment: environment.snapshot(),
                   observations: observations, optimizerStep: state.step,
                   klCoefficient: configuration.usesKLCoefficient ? klCoefficient : nil,
                   normalization: configuration.normalizesObservations || configuration.scalesRewards ? normalization : nil),
      parameters: Array(zip(names, parameters)).map { ($0.0, $0.1) }, moments: moments)
  }

  /// Continues from a checkpoint read with `TrainerCheckpoint.read(from:)`.
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` when it was made for another task or
  ///   configuration (another recipe) or its tensors do not fit the policy; nothing is
  ///   changed then.
  public func restore(state: TrainerCheckpoint.State, parameters saved: [String: Tensor], moments: [String: Tensor]) throws(RuntimeError) {
    guard state.task == task, state.configuration == configuration else {
      throw .invalidCheckpoint(reason: "the checkpoint was made by another recipe (task or settings differ)")
    }
    guard state.iteration >= 0, state.iteration <= iterations, state.order.sorted() == Array(0..<configuration.batchSize),
          state.observations.count == currentObservations.count else {
      throw .invalidCheckpoint(reason: "the checkpoint's counters or buffers do not fit this run")
    }
    var restoredNormalization = normalization
    if configuration.normalizesObservations || configuration.scalesRewards {
      guard let saved = state.normalization, saved.observations?.mean.count == normalization.observations?.mean.count,
            saved.returns != nil || normalization.returns == nil, saved.discountedReturns.count == configuration.envs else {
        throw .invalidCheckpoint(reason: "the checkpoint lacks the normalization statistics of rollout.normalize, or they do not fit")
      }
      restoredNormalization = saved
    }
    var tensors: [Tensor] = []
    var buffers: [String: [Tensor]] = [:]
    for parameter in policy.parameters {
      guard let tensor = saved[parameter.name], tensor.shape == parameter.shape else {
        throw .invalidCheckpoint(reason: "model.safetensors has no \(parameter.name) of shape \(parameter.shape)")
      }
      tensors.append(Tensor(shape: tensor.shape, scalars: tensor.scalars))
      if state.optimizerStep > 0 {
        for buffer in [Adam.firstMomentName, Adam.secondMomentName] {
          guard let moment = moments["\(buffer).\(parameter.name)"], moment.shape == parameter.shape else {
            throw .invalidCheckpoint(reason: "optimizer.safetensors has no \(buffer).\(parameter.name)")
          }
          buffers[buffer, default: []].append(Tensor(shape: moment.shape, scalars: moment.scalars))
        }
      }
    }
    var restored = optimizer
    do { try restored.restore(OptimizerState(step: state.optimizerStep, buffers: buffers)) } catch {
      throw .invalidCheckpoint(reason: "optimizer state: \(error)")
    }
    try environment.restore(state.environment)
    restoreCounters(state: state, parameters: tensors, optimizer: restored, normalization: restoredNormalization)
  }
}
