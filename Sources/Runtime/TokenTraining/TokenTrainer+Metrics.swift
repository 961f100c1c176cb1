extension TokenTrainer {
  /// The iteration's metrics from its batch and updates.
  func metrics(_ rollout: TokenRollout, arrays: BatchArrays, mask: [Float], filtered: Double, evalAccuracy: Double?, klRef: Double,
               loss: Double, terms: [String: Double], penaltyCoefficient: Double?, learningRate: Double,
               updates: Int, elapsed: Double, replayedFraction: Double?) -> TokenIterationMetrics {
    let rows = rollout.rows
    func mean(_ xs: some Collection<Double>) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
    let lengths = rollout.responses.map { Double($0.count) }
    let correctLengths = (0..<rows).filter { rollout.correct[$0] }.map { lengths[$0] }
    let incorrectLengths = (0..<rows).filter { !rollout.correct[$0] }.map { lengths[$0] }
    let generated = lengths.reduce(0, +)
    return TokenIterationMetrics(
      iteration: iteration, samples: samples,
      rewardMean: mean(rollout.rewards) ?? 0,
      rewardTerms: rollout.rewardTerms.mapValues { mean($0) ?? 0 },
      accuracy: Double(rollout.correct.filter { $0 }.count) / Double(max(rows, 1)),
      evalAccuracy: evalAccuracy,
      responseLengthMean: mean(lengths) ?? 0,
      responseLengthCorrectMean: mean(correctLengths), responseLengthIncorrectMean: mean(incorrectLengths),
      entropy: tokenMean(arrays.entropy.map(Double.init), mask: mask),
      klRef: klRef,
      clipFractions: terms.filter { $0.key.hasPrefix("clip_frac") },
      filteredFraction: filtered,
      tokensPerSecond: elapsed > 0 ? generated / elapsed : 0,
      loss: loss, lossTerms: terms.filter { !$0.key.hasPrefix("clip_frac") },
      learningRate: learningRate, klCoefficient: penaltyCoefficient ?? (configuration.klTarget == nil ? nil : klCoefficient),
      updates: updates, replayedFraction: replayedFraction)
  }
}
