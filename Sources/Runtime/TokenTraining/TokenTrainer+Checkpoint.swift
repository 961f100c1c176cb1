import Core
import Foundation
import Optim

/// A token trainer's complete state between iterations (`checkpoints/<iteration>/`):
/// `state.json`, `model.safetensors` (the policy), `reference.safetensors` (the frozen
/// warm start) and `optimizer.safetensors` (Adam's moments), written to a temporary
/// directory and renamed, so a kill leaves the whole checkpoint or none.
public struct TokenTrainerCheckpoint: Sendable {
  public struct State: Sendable, Codable, Equatable {
    public var format = 1
    public var kind = "token"
    public var task: String
    public var configuration: TokenTrainerConfiguration
    public var iteration: Int
    public var samples: Int
    public var problems: Philox.State, sampling: Philox.State, shuffle: Philox.State, reward: Philox.State
    public var optimizerStep: Int
    public var klCoefficient: Double?
    /// `ppo_penalty`'s β or `mdpo`'s 1/t_k for the next iteration (absent for other objectives).
    public var penaltyCoefficient: Double?
    public var warmStart: WarmStart.Result?
    public var warmStartEvalAccuracy: Double?
    /// The reward stage's own state (length histories), base64 JSON.
    public var rewards: Data
    /// `filter.replay`'s stored responses.
    public var replay: ReplayBuffer?
  }

  public var state: State
  public var parameters: [(name: String, tensor: Tensor)]
  public var reference: [(name: String, tensor: Tensor)]
  public var moments: [(name: String, tensor: Tensor)]

  public func write(to directory: URL) throws {
    try CheckpointDirectory(url: directory).write(
      [("state.json", try CheckpointDirectory.json(state))]
        + CheckpointDirectory.transformerFiles(parameters: parameters, reference: reference, moments: moments))
  }

  /// Reads a checkpoint written by `write(to:)`.
  public static func read(from directory: URL) throws(RuntimeError) -> TokenTrainerCheckpoint {
    let files = CheckpointDirectory(url: directory)
    let state = try files.state(State.self, what: "a token trainer's state", kind: "token")
    let tensors = try files.transformerTensors()
    return TokenTrainerCheckpoint(state: state, parameters: tensors.parameters, reference: tensors.reference, moments: tensors.moments)
  }
}

extension TokenTrainer {
  /// The trainer's state now (between iterations).
  public func checkpoint() -> TokenTrainerCheckpoint {
    let state = optimizer.state
    return TokenTrainerCheckpoint(
      state: .init(task: task.name, configuration: configuration, iteration: iteration, samples: samples,
                   problems: problemRNG.state, sampling: samplingRNG.state, shuffle: shuffleRNG.state, reward: rewardRNG.state,
                   optimizerStep: state.step, klCoefficient: klCoefficient, penaltyCoefficient: penaltyCoefficient, warmStart: warmStart,
                   warmStartEvalAccuracy: warmStartEvalAccuracy, rewards: rewards.state, replay: replayBuffer),
      parameters: parameters.named, reference: reference.named, moments: parameters.moments(of: state))
  }

  /// Continues from `checkpoint`, which must come from a run of the same task and configuration.
  public func restore(_ checkpoint: TokenTrainerCheckpoint) throws(RuntimeError) {
    let s = checkpoint.state
    guard s.task == task.name, s.configuration == configuration else {
      throw .invalidCheckpoint(reason: "the checkpoint belongs to another recipe (task \(s.task), or other settings); resume with the recipe and --set values it was made with")
    }
    let restoredParameters = try parameters.restored(from: checkpoint.parameters)
    let restoredReference = try reference.restored(from: checkpoint.reference)
    let adam = try restoredParameters.adamState(step: s.optimizerStep, moments: checkpoint.moments)
    var restoredOptimizer = optimizer
    do { try restoredOptimizer.restore(adam) } catch { throw .invalidCheckpoint(reason: "optimizer state: \(error)") }
    try rewards.restore(s.rewards)
    (parameters, reference, optimizer) = (restoredParameters, restoredReference, restoredOptimizer)
    iteration = s.iteration
    samples = s.samples
    problemRNG = Philox(state: s.problems)
    samplingRNG = Philox(state: s.sampling)
    shuffleRNG = Philox(state: s.shuffle)
    rewardRNG = Philox(state: s.reward)
    klCoefficient = s.klCoefficient
    penaltyCoefficient = s.penaltyCoefficient ?? Self.initialPenaltyCoefficient(recipe, iteration: s.iteration, of: configuration.iterations)
    if let coefficient = s.klCoefficient { for stage in stages.values { try stage.advantage.setKLCoefficient(coefficient) } }
    warmStart = s.warmStart
    warmStartEvalAccuracy = s.warmStartEvalAccuracy
    replayBuffer = s.replay
  }
}
