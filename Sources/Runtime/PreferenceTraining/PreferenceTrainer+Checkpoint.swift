import Core
import Foundation
import Optim

/// A preference trainer's complete state between steps (`checkpoints/<step>/`), in the token
/// trainer's layout: `state.json`, `examples.json` (the offline training and held-out
/// examples, in the order the run drew them), `model.safetensors` (the policy),
/// `reference.safetensors` (the frozen warm start) and `optimizer.safetensors` (Adam's
/// moments), written to a temporary directory and renamed, so a kill leaves the whole
/// checkpoint or none. A resume rebuilds neither the warm start nor the dataset, so a run
/// without the warm-start cache (`--no-cache`) resumes exactly too.
public struct PreferenceTrainerCheckpoint: Sendable {
  public struct State: Sendable, Codable, Equatable {
    public var format = 1
    public var kind = "preference"
    /// The verifier's task (`task.name`), or `preference_jsonl` for a data file.
    public var task: String
    /// The compiled loss with its parameters, as text.
    public var loss: String
    /// The run's settings; a data file by its records, not by the path it was read from.
    public var configuration: PreferenceTrainerConfiguration
    /// Steps done, and the steps the run makes.
    public var iteration: Int
    public var totalIterations: Int
    public var problems: Philox.State, sampling: Philox.State, shuffle: Philox.State
    public var optimizerStep: Int
    /// The current pass's minibatch order, indices into the training examples (empty online).
    public var order: [Int]
    public var skippedPrompts: Int
    public var warmStart: WarmStart.Result?
    public var warmStartEvalAccuracy: Double?
    public var warmStartHeldOutAccuracy: Double?
    public var warmStartHeldOutMargin: Double?
  }

  /// `examples.json`: the offline training and held-out examples (both empty online).
  public struct Examples: Sendable, Codable, Equatable {
    public var training: [PreferenceExample]
    public var heldOut: [PreferenceExample]
  }

  public var state: State
  public var examples: Examples
  public var parameters: [(name: String, tensor: Tensor)]
  public var reference: [(name: String, tensor: Tensor)]
  public var moments: [(name: String, tensor: Tensor)]

  public func write(to directory: URL) throws {
    try CheckpointDirectory(url: directory).write(
      [("state.json", try CheckpointDirectory.json(state)), ("examples.json", try CheckpointDirectory.json(examples))]
        + CheckpointDirectory.transformerFiles(parameters: parameters, reference: reference, moments: moments))
  }

  /// Reads a checkpoint written by `write(to:)`.
  /// - Throws: `RuntimeError.invalidCheckpoint` for a missing or corrupt file.
  public static func read(from directory: URL) throws(RuntimeError) -> PreferenceTrainerCheckpoint {
    let files = CheckpointDirectory(url: directory)
    let state = try files.state(State.self, what: "a preference trainer's state", kind: "preference")
    let examples = try files.json(Examples.self, from: "examples.json", what: "a preference trainer's examples")
    let tensors = try files.transformerTensors()
    return PreferenceTrainerCheckpoint(state: state, examples: examples, parameters: tensors.parameters, reference: tensors.reference,
                                       moments: tensors.moments)
  }
}

extension PreferenceTrainer {
  /// The trainer's state now (between steps).
  public func checkpoint() -> PreferenceTrainerCheckpoint {
    let adam = optimizer.state
    return PreferenceTrainerCheckpoint(
      state: .init(task: checkpointTask, loss: String(reflecting: objective.loss), configuration: checkpointConfiguration,
                   iteration: iteration, totalIterations: totalIterations,
                   problems: problemRNG.state, sampling: samplingRNG.state, shuffle: shuffleRNG.state, optimizerStep: adam.step,
                   order: order, skippedPrompts: skippedPrompts, warmStart: warmStart, warmStartEvalAccuracy: warmStartEvalAccuracy,
                   warmStartHeldOutAccuracy: warmStartHeldOut?.accuracy, warmStartHeldOutMargin: warmStartHeldOut?.margin),
      examples: .init(training: examples, heldOut: heldOutExamples),
      parameters: parameters.named, reference: reference.named, moments: parameters.moments(of: adam))
  }

  /// Continues from `checkpoint` instead of `prepare(cache:)`; it must come from a run of the
  /// same task, loss and settings.
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` when it belongs to another recipe or its
  ///   counters, examples or tensors do not fit this run; nothing is changed then.
  public func restore(_ checkpoint: PreferenceTrainerCheckpoint) throws(RuntimeError) {
    let s = checkpoint.state
    guard s.task == checkpointTask, s.loss == String(reflecting: objective.loss), s.configuration == checkpointConfiguration else {
      throw .invalidCheckpoint(reason: "the checkpoint belongs to another recipe (task \(s.task), or another loss or other settings); resume with the recipe and --set values it was made with")
    }
    try checkFits(s, checkpoint.examples)
    let restoredParameters = try parameters.restored(from: checkpoint.parameters)
    let restoredReference = try reference.restored(from: checkpoint.reference)
    let adam = try restoredParameters.adamState(step: s.optimizerStep, moments: checkpoint.moments)
    var restoredOptimizer = optimizer
    do { try restoredOptimizer.restore(adam) } catch { throw .invalidCheckpoint(reason: "optimizer state: \(error)") }
    (parameters, reference, optimizer) = (restoredParameters, restoredReference, restoredOptimizer)
    (iteration, totalIterations, order, skippedPrompts) = (s.iteration, s.totalIterations, s.order, s.skippedPrompts)
    (examples, heldOutExamples) = (checkpoint.examples.training, checkpoint.examples.heldOut)
    problemRNG = Philox(state: s.problems)
    samplingRNG = Philox(state: s.sampling)
    shuffleRNG = Philox(state: s.shuffle)
    (warmStart, warmStartEvalAccuracy) = (s.warmStart, s.warmStartEvalAccuracy)
    warmStartHeldOut = s.warmStartHeldOutAccuracy.flatMap { accuracy in s.warmStartHeldOutMargin.map { (accuracy, $0) } }
  }

  /// The task a checkpoint names: the verifier's, or the data file's task block.
  var checkpointTask: String { task?.name ?? "preference_jsonl" }

  /// The configuration as a checkpoint records it: a data file by its records, so a resume
  /// that reaches the same file by another path is the same run.
  var checkpointConfiguration: PreferenceTrainerConfiguration {
    var c = configuration
    if case .file(var data) = c.source {
      data.path = ""
      c.source = .file(data)
    }
    return c
  }

  /// Refuses counters and examples this run could not continue from (a checkpoint edited
  /// or of another version): the trainer would index out of its data or its programs.
  private func checkFits(_ s: PreferenceTrainerCheckpoint.State, _ saved: PreferenceTrainerCheckpoint.Examples) throws(RuntimeError) {
    func fail(_ what: String) -> RuntimeError { .invalidCheckpoint(reason: "the checkpoint's \(what) do not fit this run") }
    let c = configuration
    let steps: Int
    switch c.source {
    case .online(_, _, _, let iterations):
      steps = iterations
      guard saved.training.isEmpty, saved.heldOut.isEmpty, s.order.isEmpty else { throw fail("examples") }
    case .offline, .file:
      steps = c.iterations
      let inPass = s.iteration % c.minibatches != 0
      guard saved.training.count >= c.minibatches,
            s.order.sorted() == Array(saved.training.indices) || (s.order.isEmpty && !inPass) else { throw fail("examples or minibatch order") }
    }
    guard s.totalIterations == steps, (0...steps).contains(s.iteration), s.skippedPrompts >= 0 else { throw fail("step counters") }
    let responses: ClosedRange<Int>
    switch (objective.loss.format, c.source) {
    case (.pairs, _): responses = 2...2
    case (.unpaired, _): responses = 1...1
    case (.lists, .offline(_, let samples, _)): responses = samples...samples
    case (.lists, _): responses = 2...Int.max
    }
    let vocabulary = 0..<Int32(configuration.policy.vocabulary)
    for example in saved.training + saved.heldOut {
      guard (1...promptLength).contains(example.prompt.count), responses.contains(example.responses.count),
            example.scores.count == example.responses.count,
            example.responses.allSatisfy({ $0.count <= responseLength && $0.allSatisfy(vocabulary.contains) }),
            example.prompt.allSatisfy(vocabulary.contains) else { throw fail("examples") }
    }
  }
}
