import Core
import Foundation
import Optim

extension PreferenceTrainer {
  /// Sequence log-probs and their lengths: the sums of each row's response-token log-probs.
  struct SequenceBatch {
    var rows: TokenRows
    var program: TransformerProgram
    var lengths: [Int]
    var count: Int
  }

  /// Lays `sequences` out for the transformer, padded to a multiple of 8 rows (padding rows
  /// hold BOS and an empty response: no log-prob, no gradient).
  func layout(_ sequences: [(prompt: [Int32], response: [Int32])]) throws(RuntimeError) -> SequenceBatch {
    let count = sequences.count
    let rows = max(8, (count + 7) / 8 * 8)
    let tokens = max(sequences.map(\.response.count).max() ?? 1, 1)
    let program = try program(rows: rows, tokens: tokens)
    var batch = TokenRows(rows: rows, promptLength: promptLength, responseLength: tokens)
    for (row, sequence) in sequences.enumerated() { batch.set(row: row, prompt: sequence.prompt, response: sequence.response) }
    for row in count..<rows { batch.set(row: row, prompt: [TokenVocabulary.bos], response: []) }
    return SequenceBatch(rows: batch, program: program, lengths: sequences.map(\.response.count), count: count)
  }

  /// Σ_t logp of each real row.
  func sequenceLogp(_ parameters: TransformerParameters, _ batch: SequenceBatch) throws(RuntimeError) -> [Double] {
    let logp = try batch.program.evaluate(parameters, batch.rows).logp.scalars
    let tokens = batch.rows.responseLength
    return (0..<batch.count).map { row in
      var sum = 0.0
      for t in 0..<min(batch.lengths[row], tokens) { sum += Double(logp[row * tokens + t]) }
      return sum
    }
  }

  /// The loss on `examples` without a step (held-out reward accuracy, tests).
  public func evaluateLoss(_ examples: [PreferenceExample]) throws(RuntimeError) -> PreferenceObjective.Evaluation {
    let batch = try layout(objective.sequences(examples))
    return try objective.evaluate(examples, logp: try sequenceLogp(parameters, batch), ref: try sequenceLogp(reference, batch),
                                  lengths: batch.lengths, differentiates: false)
  }

  /// Share of `examples` the implicit reward ranks right, and the loss's mean margin on
  /// them, 64 at a time (the held-out examples are fixed, so the margin is comparable
  /// between evaluations where the minibatches' margins are not).
  func heldOutRanking(_ examples: [PreferenceExample]) throws(RuntimeError) -> (accuracy: Double, margin: Double)? {
    guard !examples.isEmpty else { return nil }
    var right = 0, margin = 0.0
    for start in stride(from: 0, to: examples.count, by: 64) {
      let chunk = Array(examples[start..<min(start + 64, examples.count)])
      let evaluation = try evaluateLoss(chunk)
      right += evaluation.ranked.filter { $0 }.count
      margin += (evaluation.terms["margin"] ?? 0) * Double(chunk.count)
    }
    return (Double(right) / Double(examples.count), margin / Double(examples.count))
  }

  /// The loss's gradient with respect to the parameters on `examples`: sequence log-probs
  /// of the policy and the reference, the compiled loss, then the transformer's VJP seeded
  /// with d loss / d token log-prob on every real response token (0 on padding).
  public func lossGradient(_ examples: [PreferenceExample]) throws(RuntimeError) -> (evaluation: PreferenceObjective.Evaluation, gradients: [Tensor]) {
    let batch = try layout(objective.sequences(examples))
    let logp = try sequenceLogp(parameters, batch), ref = try sequenceLogp(reference, batch)
    let evaluation = try objective.evaluate(examples, logp: logp, ref: ref, lengths: batch.lengths)
    try checkFinite("loss", evaluation.loss)
    for (name, value) in evaluation.terms.sorted(by: { $0.key < $1.key }) { try checkFinite(name, value) }
    let tokens = batch.rows.responseLength
    var seed = [Float](repeating: 0, count: batch.rows.rows * tokens)
    for row in 0..<batch.count {
      for t in 0..<min(batch.lengths[row], tokens) { seed[row * tokens + t] = evaluation.tokenSeeds[row] }
    }
    let (_, gradients) = try batch.program.gradient(parameters, batch.rows, gradLogp: Tensor(shape: [batch.rows.rows, tokens], scalars: seed),
                                                   gradValue: nil)
    return (evaluation, gradients)
  }

  /// One optimizer step on `examples` at the step's learning rate, and its metrics (without
  /// evaluations).
  func step(_ examples: [PreferenceExample], started: UInt64) throws(RuntimeError) -> PreferenceStepMetrics {
    var (evaluation, gradients) = try lossGradient(examples)
    optimizer.learningRate = Float(learningRate(at: iteration))
    do {
      if let clip = configuration.gradClip { _ = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: Float(clip)) }
      try optimizer.step(parameters: &parameters.tensors, gradients: gradients)
    } catch { throw .optim(error) }
    iteration += 1
    var terms = evaluation.terms
    let chosen = terms.removeValue(forKey: "chosen_reward") ?? 0, rejected = terms.removeValue(forKey: "rejected_reward") ?? 0
    let margin = terms.removeValue(forKey: "margin") ?? chosen - rejected
    return PreferenceStepMetrics(iteration: iteration, pairs: examples.count, loss: evaluation.loss, chosenReward: chosen,
                                 rejectedReward: rejected, margin: margin, terms: terms,
                                 rewardAccuracy: Double(evaluation.ranked.filter { $0 }.count) / Double(max(examples.count, 1)),
                                 heldOutRewardAccuracy: nil, heldOutMargin: nil, evalAccuracy: nil, sampleAccuracy: nil,
                                 elapsed: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
  }

  /// The next optimizer step: the next offline minibatch (a fresh shuffle each epoch), or an
  /// online round of rollouts and its pairs; with the held-out evaluations when due.
  public func runIteration() throws(RuntimeError) -> PreferenceStepMetrics {
    let started = DispatchTime.now().uptimeNanoseconds
    var metrics: PreferenceStepMetrics
    if case .online(let prompts, let group, let pairing, _) = configuration.source {
      let groups = try sampleGroups(prompts: prompts, group: group)
      let batch = groups.flatMap { examples(from: $0, pairing: pairing, limit: nil) }
      let answers = groups.flatMap(\.answers)
      let sampled = Double(answers.filter(\.correct).count) / Double(max(answers.count, 1))
      if batch.isEmpty {
        iteration += 1
        metrics = PreferenceStepMetrics(iteration: iteration, pairs: 0, loss: 0, chosenReward: 0, rejectedReward: 0, margin: 0, terms: [:],
                                        rewardAccuracy: 0, heldOutRewardAccuracy: nil, heldOutMargin: nil, evalAccuracy: nil, sampleAccuracy: sampled, elapsed: 0)
      } else {
        metrics = try step(batch, started: started)
        metrics.sampleAccuracy = sampled
      }
    } else {
      let c = configuration
      let stepInEpoch = iteration % c.minibatches
      if stepInEpoch == 0 {
        order = Array(examples.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, shuffleRNG.integer(below: i + 1)) }
      }
      let size = examples.count / c.minibatches
      let indices = order[(stepInEpoch * size)..<((stepInEpoch + 1) * size)]
      metrics = try step(indices.map { examples[$0] }, started: started)
    }
    let due = (configuration.evalEvery > 0 && iteration % configuration.evalEvery == 0) || isFinished
    if due {
      metrics.evalAccuracy = try evaluateHeldOut()
      if let ranking = try heldOutRanking(heldOutExamples) {
        (metrics.heldOutRewardAccuracy, metrics.heldOutMargin) = (ranking.accuracy, ranking.margin)
      }
    }
    metrics.elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return metrics
  }

  /// The learning rate of step `k` (0-based): constant, or linear to `annealTo`.
  func learningRate(at k: Int) -> Double {
    annealedRate(configuration.learningRate, to: configuration.annealTo, step: k, of: totalIterations)
  }

  func checkFinite(_ term: String, _ value: Double) throws(RuntimeError) {
    guard value.isFinite else { throw .nonFinite(iteration: iteration + 1, term: term, value: "\(value)") }
  }
}
