import Blocks
import Core
import Foundation
import Testing
import TestSupport

@testable import Runtime

/// A preference trainer checkpointed after K steps and restored from disk into a fresh
/// trainer ends where an uninterrupted run of N steps ends (same metrics, same weights), for
/// offline pairs (the checkpoint falls inside a pass over the data) and online pairs; a
/// checkpoint of another recipe or a damaged one is refused and changes nothing.
@Suite struct PreferenceTrainerCheckpointTests {
  static let pairs = (0..<12).map { i in
    "{\"prompt\": \"\(i)+\(i + 3)=\", \"chosen\": \"\(2 * i + 3)\", \"rejected\": \"\(2 * i + 4)\"}"
  }.joined(separator: "\n")

  static func loss(_ name: String) throws -> PreferenceLoss {
    try PreferenceLoss(BlockParams(try #require(BlockRegistry.standard.block(named: name)), values: ["beta": .float(0.5)]))
  }

  /// dpo on 12 pairs of a data file (11 trained, 3 minibatches of 3 a pass), or online dpo
  /// on the sorting task (its partial credit ranks even an untrained policy's answers);
  /// 7 steps, held-out evaluations every 2.
  static func trainer(online: Bool, loss: String = "dpo", seed: UInt64 = 3) throws -> PreferenceTrainer {
    let source: PreferenceTrainerConfiguration.Source = online
      ? .online(prompts: 3, group: 4, pairing: .bestWorst, iterations: 7)
      : .file(try PreferenceDataset.parse(pairs, path: "pairs.jsonl"))
    var c = PreferenceTrainerConfiguration(source: source)
    c.policy = TransformerConfiguration(vocabulary: TokenVocabulary.size, layers: 1, width: 16, heads: 2, context: 24)
    c.maxTokens = 6
    c.iterations = 7
    c.minibatches = 3
    c.evalEvery = 2
    c.learningRate = 0.01
    c.seed = seed
    let task: (any TokenTask)? = online ? try SortingTask(length: 3, alphabet: 5, partialCredit: true) : nil
    let trainer = try PreferenceTrainer(task: task, loss: try Self.loss(loss), configuration: c)
    try trainer.prepare(cache: nil)
    return trainer
  }

  /// The step's metrics without the time it took.
  static func step(_ trainer: PreferenceTrainer) throws -> PreferenceStepMetrics {
    var metrics = try trainer.runIteration()
    metrics.elapsed = 0
    return metrics
  }

  @Test("N steps straight equal K steps, a checkpoint on disk, a fresh trainer restored from it and N − K more",
        arguments: zip([false, true], [4, 3]))
  func resume(online: Bool, checkpointAfter k: Int) throws {
    let whole = try Self.trainer(online: online)
    var expected: [PreferenceStepMetrics] = []
    while !whole.isFinished { expected.append(try Self.step(whole)) }
    #expect(expected.count == 7)
    #expect(expected.contains { $0.pairs > 0 && $0.loss != 0 }, "the run must train for the comparison to mean anything")

    let first = try Self.trainer(online: online)
    var got = try (0..<k).map { _ in try Self.step(first) }
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent(String(k))
    try first.checkpoint().write(to: directory)

    // A fresh trainer that never ran `prepare`: the reference, data and counters come from disk.
    let second = try PreferenceTrainer(task: first.task, loss: first.objective.loss, configuration: first.configuration)
    let saved = try PreferenceTrainerCheckpoint.read(from: directory)
    #expect(saved.state.iteration == k)
    try second.restore(saved)
    #expect(second.examples == first.examples && second.heldOutExamples == first.heldOutExamples)
    while !second.isFinished { got.append(try Self.step(second)) }
    #expect(got == expected)
    let sameWeights = second.parameters.tensors.map(\.scalars) == whole.parameters.tensors.map(\.scalars)
    let sameReference = second.reference.tensors.map(\.scalars) == whole.reference.tensors.map(\.scalars)
    #expect(sameWeights && sameReference, "the resumed run's weights differ from the uninterrupted run's")
  }

  @Test("a checkpoint of another seed or loss, or with a damaged file, is refused with the reason and changes nothing")
  func mismatch() throws {
    let trainer = try Self.trainer(online: false)
    _ = try trainer.runIteration()
    let temporary = try TemporaryDirectory()
    let directory = temporary.url.appendingPathComponent("1")
    try trainer.checkpoint().write(to: directory)
    let saved = try PreferenceTrainerCheckpoint.read(from: directory)

    func refusal(_ target: PreferenceTrainer, _ checkpoint: PreferenceTrainerCheckpoint) -> String {
      let before = target.parameters.tensors.map(\.scalars)
      defer { #expect(target.iteration == 0 && target.parameters.tensors.map(\.scalars) == before) }
      do { try target.restore(checkpoint) } catch { return "\(error)" }
      return "restored"
    }
    #expect(refusal(try Self.trainer(online: false, seed: 4), saved).contains("belongs to another recipe"))
    #expect(refusal(try Self.trainer(online: false, loss: "ipo"), saved).contains("belongs to another recipe"))
    var outOfVocabulary = saved
    outOfVocabulary.examples.training[0].prompt[1] = 999
    #expect(refusal(try Self.trainer(online: false), outOfVocabulary) == "cannot resume: the checkpoint's examples do not fit this run")
    var badOrder = saved
    badOrder.state.order = [0, 0, 1]
    #expect(refusal(try Self.trainer(online: false), badOrder).contains("minibatch order do not fit"))
    var missing = saved
    missing.moments.removeLast()
    #expect(refusal(try Self.trainer(online: false), missing).contains("the optimizer state lacks"))

    var token = saved
    token.state.kind = "token"
    let tokenDirectory = temporary.url.appendingPathComponent("token")
    try token.write(to: tokenDirectory)
    do { _ = try PreferenceTrainerCheckpoint.read(from: tokenDirectory); Issue.record("a token run's checkpoint was read") } catch {
      #expect("\(error)".contains("is a checkpoint of a token run, not of a preference run"), "\(error)")
    }

    try Data("{\"training\": [".utf8).write(to: directory.appendingPathComponent("examples.json"))
    #expect(throws: RuntimeError.self) { try PreferenceTrainerCheckpoint.read(from: directory) }
    do { _ = try PreferenceTrainerCheckpoint.read(from: directory) } catch {
      #expect("\(error)".contains("examples.json is not a preference trainer's examples"), "\(error)")
    }
  }
}
