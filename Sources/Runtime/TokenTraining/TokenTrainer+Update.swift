import Core
import Foundation
import Optim

/// Wall time between laps, by phase name.
struct PhaseClock {
  private var last = DispatchTime.now().uptimeNanoseconds
  private(set) var laps: [(String, Double)] = []
  mutating func lap(_ phase: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    laps.append((phase, Double(now - last) / 1e9))
    last = now
  }
}

extension TokenTrainer {
  /// Per-token arrays of the whole batch, `[rows, tokens]` flat, and its per-response rewards.
  struct BatchArrays {
    var oldLogp: [Float], refLogp: [Float], entropy: [Float], values: [Float]?
    var advantages: [Float] = [], returns: [Float]?
    /// `[rows]`: each response's summed reward, and ReMax's greedy baseline when used.
    var rewards: [Float] = [], baselineRewards: [Float]?

    /// What the advantage stage binds for the whole batch, whose mask is `mask`: the
    /// rollout's log-probs (as `logp` too: the policy has not moved yet), entropies, values
    /// and rewards.
    func advantageInputs(mask: Tensor, tokens: Int) -> [String: Tensor] {
      let rows = rewards.count
      func matrix(_ flat: [Float]) -> Tensor { Tensor(shape: [rows, tokens], scalars: flat) }
      var inputs: [String: Tensor] = [
        "mask": mask, "logp": matrix(oldLogp), "old_logp": matrix(oldLogp), "ref_logp": matrix(refLogp), "entropy": matrix(entropy),
        "reward": Tensor(shape: [rows], scalars: rewards),
      ]
      if let values {
        inputs["values"] = matrix(values)
        inputs["value_pred"] = inputs["values"]
      }
      if let baselineRewards { inputs["baseline_reward"] = Tensor(shape: [rows], scalars: baselineRewards) }
      return inputs
    }

    /// What the update program binds for the minibatch of rows `indices`, whose mask is
    /// `mask`: the rows' inputs and the counts its aggregation divides by.
    func updateInputs(_ indices: [Int], mask: Tensor, tokens: Int) -> [String: Tensor] {
      func gathered(_ flat: [Float]) -> Tensor {
        var out = [Float](repeating: 0, count: indices.count * tokens)
        for (slot, row) in indices.enumerated() {
          for t in 0..<tokens { out[slot * tokens + t] = flat[row * tokens + t] }
        }
        return Tensor(shape: [indices.count, tokens], scalars: out)
      }
      let maskValues = mask.scalars
      let sequenceCount = (0..<indices.count).filter { maskValues[$0 * tokens] > 0 }.count
      var inputs: [String: Tensor] = [
        "mask": mask, "old_logp": gathered(oldLogp), "ref_logp": gathered(refLogp),
        "reward": Tensor(shape: [indices.count], scalars: indices.map { rewards[$0] }), "advantages": gathered(advantages),
        "token_count": Tensor(scalar: maskValues.reduce(0, +)), "sequence_count": Tensor(scalar: Float(sequenceCount)),
        "row_count": Tensor(scalar: Float(indices.count)),
      ]
      if let returns { inputs["returns"] = gathered(returns) }
      if let values { inputs["values"] = gathered(values) }
      if let baselineRewards { inputs["baseline_reward"] = Tensor(shape: [indices.count], scalars: indices.map { baselineRewards[$0] }) }
      return inputs
    }
  }

  /// Rollout, reward, filter, advantage, the epochs of minibatch updates, and the metrics.
  public func runIteration() throws(RuntimeError) -> TokenIterationMetrics {
    let started = DispatchTime.now().uptimeNanoseconds
    let c = configuration
    let rows = c.rows
    let rate = learningRate(at: iteration)
    optimizer.learningRate = Float(rate)

    var clock = PhaseClock()
    var (rollout, filtered) = try collect()
    let replayed = replay(into: &rollout)
    clock.lap("rollout")
    let tokens = max(rollout.responses.map(\.count).max() ?? 1, 1)
    let stage = try stage(tokens: tokens)
    clock.lap("compile")
    var arrays = try forwardBatch(rollout, program: stage.forward, tokens: tokens)
    arrays.rewards = rollout.rewards.map(Float.init)
    arrays.baselineRewards = usesBaseline ? rollout.baselineRewards.map { $0.map(Float.init) } : nil
    for (row, logp) in replayed {
      for (t, value) in logp.enumerated() { arrays.oldLogp[row * tokens + t] = value }
    }
    remember(rollout, oldLogp: arrays.oldLogp, tokens: tokens, skipping: Set(replayed.keys))
    clock.lap("forward")
    let fullMask = rollout.mask(0..<rows, tokens: tokens)
    let (advantages, returns) = try stage.advantage.advantages(arrays.advantageInputs(mask: fullMask, tokens: tokens))
    arrays.advantages = advantages.scalars
    arrays.returns = returns?.scalars
    if let keep = c.cppoKeep { filtered = prune(&rollout, advantages: arrays.advantages, tokens: tokens, keep: keep) }

    clock.lap("advantage")
    // Epochs × shuffled minibatches: of whole groups for a formula loss, else of rows.
    var order = Array(0..<(groupsMinibatches ? c.prompts : c.rows))
    var sums: [String: Double] = [:], lossSum = 0.0, updates = 0, epochKL = 0.0
    let penalty = penaltyCoefficient
    for _ in 0..<c.epochs {
      shuffle(&order)
      epochKL = 0
      for m in 0..<c.minibatches {
        let indices = groupsMinibatches ? c.minibatchRows(m, groupOrder: order)
          : Array(order[(m * c.minibatchRows)..<((m + 1) * c.minibatchRows)])
        let batch = rollout.tokenRows(indices, promptLength: promptLength, responseLength: tokens)
        let update = arrays.updateInputs(indices, mask: rollout.mask(indices, tokens: tokens), tokens: tokens)
        let result = try stage.update.run(parameters, batch, inputs: update, klCoefficient: klCoefficient, penaltyCoefficient: penalty)
        for (name, value) in result.terms.sorted(by: { $0.key < $1.key }) { try checkFinite(name, value) }
        try checkFinite("loss", result.loss)
        var gradients = result.gradients
        do {
          if let clip = c.gradClip { _ = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: Float(clip)) }
          try optimizer.step(parameters: &parameters.tensors, gradients: gradients)
        } catch { throw .optim(error) }
        lossSum += result.loss
        for (name, value) in result.terms { sums[name, default: 0] += value }
        epochKL += result.terms["kl"] ?? 0
        updates += 1
      }
    }
    clock.lap("update")
    iteration += 1
    let klRef = tokenMean(zip(arrays.oldLogp, arrays.refLogp).map { old, ref in
      let d = Double(ref - old)
      return exp(d) - d - 1
    }, mask: fullMask.scalars)
    if let target = c.klTarget, let coefficient = klCoefficient {
      // Ziegler et al.'s proportional controller, on the mean per-response KL (TRL).
      var controller = AdaptiveKLController(initial: coefficient, target: target, horizon: c.klHorizon)
      controller.update(kl: sequenceKL(arrays, mask: fullMask.scalars, tokens: tokens), samples: rows)
      klCoefficient = controller.coefficient
      for stage in stages.values { try stage.advantage.setKLCoefficient(klCoefficient!) }
    }
    // ppo_penalty: d is the mean of the rule's KL term over the last epoch's minibatches.
    penaltyCoefficient = nextPenaltyCoefficient(after: penalty, kl: epochKL / Double(c.minibatches))
    let evalAccuracy: Double? = (c.evalEvery > 0 && iteration % c.evalEvery == 0) || isFinished ? try evaluateHeldOut() : nil
    clock.lap("evaluation")
    for (phase, seconds) in clock.laps { phaseSeconds[phase, default: 0] += seconds }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    return metrics(rollout, arrays: arrays, mask: fullMask.scalars, filtered: filtered, evalAccuracy: evalAccuracy, klRef: klRef,
                   loss: lossSum / Double(max(updates, 1)), terms: sums.mapValues { $0 / Double(max(updates, 1)) },
                   penaltyCoefficient: penalty, learningRate: rate, updates: updates, elapsed: elapsed,
                   replayedFraction: replayBuffer == nil ? nil : Double(replayed.count) / Double(rows))
  }

  /// The learning rate of iteration `k` (0-based): constant, or linear to `annealTo`.
  func learningRate(at k: Int) -> Double {
    annealedRate(configuration.learningRate, to: configuration.annealTo, step: k, of: configuration.iterations)
  }

  /// Old and reference log-probs, entropies and values of the whole batch, a minibatch of
  /// rows at a time through the training program.
  func forwardBatch(_ rollout: TokenRollout, program: TransformerProgram, tokens: Int) throws(RuntimeError) -> BatchArrays {
    let c = configuration
    var arrays = BatchArrays(oldLogp: [], refLogp: [], entropy: [], values: c.policy.valueHead ? [] : nil)
    for start in stride(from: 0, to: c.rows, by: c.minibatchRows) {
      let batch = rollout.tokenRows(start..<(start + c.minibatchRows), promptLength: promptLength, responseLength: tokens)
      let now = try program.evaluate(parameters, batch)
      let ref = try program.evaluate(reference, batch)
      arrays.oldLogp += now.logp.scalars
      arrays.entropy += now.entropy.scalars
      arrays.refLogp += ref.logp.scalars
      if let value = now.value { arrays.values? += value.scalars }
    }
    return arrays
  }

  /// CPPO: per group keep the ⌈G·keep⌉ responses with the largest |advantage|; the rest
  /// leave the loss. Returns the share of responses left out.
  func prune(_ rollout: inout TokenRollout, advantages: [Float], tokens: Int, keep: Double) -> Double {
    let g = configuration.group
    let kept = Int((Double(g) * keep).rounded(.up))
    for start in stride(from: 0, to: rollout.rows, by: g) {
      let ranked = (start..<(start + g)).sorted { abs(advantages[$0 * tokens]) > abs(advantages[$1 * tokens]) }
      for row in ranked.dropFirst(kept) { rollout.active[row] = false }
    }
    return Double(rollout.active.filter { !$0 }.count) / Double(max(rollout.rows, 1))
  }

  /// Fisher–Yates with the trainer's shuffle stream.
  func shuffle(_ order: inout [Int]) {
    for i in stride(from: order.count - 1, to: 0, by: -1) {
      order.swapAt(i, shuffleRNG.integer(below: i + 1))
    }
  }

  func checkFinite(_ term: String, _ value: Double) throws(RuntimeError) {
    guard value.isFinite else { throw .nonFinite(iteration: iteration + 1, term: term, value: "\(value)") }
  }

  func tokenMean(_ values: [Double], mask: [Float]) -> Double {
    var sum = 0.0, count = 0.0
    for (value, m) in zip(values, mask) where m > 0 { sum += value; count += 1 }
    return count > 0 ? sum / count : 0
  }

  /// Mean over responses of Σ_t (old − ref): the KL the adaptive controller steers (TRL).
  func sequenceKL(_ arrays: BatchArrays, mask: [Float], tokens: Int) -> Double {
    let rows = configuration.rows
    var total = 0.0
    for row in 0..<rows {
      for t in 0..<tokens where mask[row * tokens + t] > 0 {
        total += Double(arrays.oldLogp[row * tokens + t] - arrays.refLogp[row * tokens + t])
      }
    }
    return total / Double(rows)
  }
}
