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
    try CheckpointDirectory(url: directory).write([
      ("state.json", try CheckpointDirectory.json(state)),
      ("model.safetensors", SafeTensors.encode(parameters)),
      ("reference.safetensors", SafeTensors.encode(reference)),
      ("optimizer.safetensors", SafeTensors.encode(moments)),
    ])
  }

  /// Reads a checkpoint written by `write(to:)`.
  public static func read(from directory: URL) throws(RuntimeError) -> TokenTrainerCheckpoint {
    let files = CheckpointDirectory(url: directory)
    let state = try files.state(State.self, what: "a token trainer's state")
    func tensors(_ name: String) throws(RuntimeError) -> [(name: String, tensor: Tensor)] {
      try SafeTensors.decode(try files.data(name)).sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }
    }
    return TokenTrainerCheckpoint(state: state, parameters: try tensors("model.safetensors"), reference: try tensors("reference.safetensors"),
                                  moments: try tensors("optimizer.safetensors"))
  }
}

extension TokenTrainer {
  /// The trainer's state now (between iterations).
  public func checkpoint() -> TokenTrainerCheckpoint {
    let names = parameters.names
    var moments: [(name: String, tensor: Tensor)] = []
    let state = optimizer.state
    for (buffer, tensors) in state.buffers.sorted(by: { $0.key < $1.key }) {
      moments += zip(names, tensors).map { (name: "\(buffer).\($0.0)", tensor: $0.1) }
    }
    return TokenTrainerCheckpoint(
      state: .init(task: task.name, configuration: configuration, iteration: iteration, samples: samples,
                   problems: problemRNG.state, sampling: samplingRNG.state, shuffle: shuffleRNG.state, reward: rewardRNG.state,
                   optimizerStep: state.step, klCoefficient: klCoefficient, warmStart: warmStart,
                   warmStartEvalAccuracy: warmStartEvalAccuracy, rewards: rewards.state, replay: replayBuffer),
      parameters: Array(zip(names, parameters.tensors)).map { (name: $0.0, tensor: $0.1) },
      reference: Array(zip(names, reference.tensors)).map { (name: $0.0, tensor: $0.1) },
      moments: moments)
  }

  /// Continues from `checkpoint`, which must come from a run of the same task and configuration.
  public func restore(_ checkpoint: TokenTrainerCheckpoint) throws(RuntimeError) {
    let s = checkpoint.state
    guard s.task == task.name, s.configuration == configuration else {
      throw .invalidCheckpoint(reason: "the checkpoint belongs to another recipe (task \(s.task), or other settings); resume with the recipe and --set values it was made with")
    }
    func restored(_ saved: [(name: String, tensor: Tensor)], into target: TransformerParameters) throws(RuntimeError) -> TransformerParameters {
      let byName = Dictionary(saved.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
      var result = target
      for (index, name) in target.names.enumerated() {
        guard let tensor = byName[name], tensor.shape == target.tensors[index].shape else {
          throw .invalidCheckpoint(reason: "the checkpoint's weights do not fit the policy (\(name))")
        }
        result.tensors[index] = tensor
      }
      return result
    }
    parameters = try restored(checkpoint.parameters, into: parameters)
    reference = try restored(checkpoint.reference, into: reference)
    var buffers: [String: [Tensor]] = [:]
    let byName = Dictionary(checkpoint.moments.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
    if s.optimizerStep > 0 {
      for buffer in [Adam.firstMomentName, Adam.secondMomentName] {
        var tensors: [Tensor] = []
        for name in parameters.names {
          guard let tensor = byName["\(buffer).\(name)"] else { throw .invalidCheckpoint(reason: "the optimizer state lacks \(buffer).\(name)") }
          tensors.append(tensor)
        }
        buffers[buffer] = tensors
      }
    }
    do { try optimizer.restore(OptimizerState(step: s.optimizerStep, buffers: buffers)) } catch { throw .optim(error) }
    try rewards.restore(s.rewards)
    iteration = s.iteration
    samples = s.samples
    problemRNG = Philox(state: s.problems)
    samplingRNG = Philox(state: s.sampling)
    shuffleRNG = Philox(state: s.shuffle)
    rewardRNG = Philox(state: s.reward)
    klCoefficient = s.klCoefficient
    if let coefficient = s.klCoefficient { for stage in stages.values { try stage.advantage.setKLCoefficient(coefficient) } }
    warmStart = s.warmStart
    warmStartEvalAccuracy = s.warmStartEvalAccuracy
    replayBuffer = s.replay
  }
}
