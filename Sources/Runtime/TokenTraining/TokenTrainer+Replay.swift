import Core

extension TokenTrainer {
  /// `filter.replay`: the last `off_samples` rows of each group whose prompt has stored
  /// responses take them instead (only groups that failed entirely with `when: all_fail`).
  /// Returns the replaced rows with their stored per-token old log-probs.
  func replay(into rollout: inout TokenRollout) -> [Int: [Float]] {
    guard let settings = configuration.replay, let buffer = replayBuffer else { return [:] }
    let g = configuration.group
    var replaced: [Int: [Float]] = [:]
    for start in stride(from: 0, to: rollout.rows, by: g) {
      let group = start..<(start + g)
      if settings.onlyWhenAllFail && group.contains(where: { rollout.correct[$0] }) { continue }
      let drawn = buffer.draw(prompt: rollout.problems[start].prompt, count: settings.samples, rng: &shuffleRNG)
      for (offset, entry) in drawn.enumerated() {
        let row = start + g - 1 - offset
        rollout.responses[row] = entry.response
        rollout.completions[row] = entry.completion
        rollout.rewards[row] = entry.reward
        rollout.correct[row] = entry.correct
        rollout.active[row] = true
        for name in rollout.rewardTerms.keys { rollout.rewardTerms[name]![row] = entry.terms[name] ?? 0 }
        replaced[row] = entry.logp
      }
    }
    return replaced
  }

  /// Stores the batch's fresh, active responses with their old log-probs.
  func remember(_ rollout: TokenRollout, oldLogp: [Float], tokens: Int, skipping replayed: Set<Int>) {
    guard replayBuffer != nil else { return }
    for row in 0..<rollout.rows where rollout.active[row] && !replayed.contains(row) {
      let length = rollout.responses[row].count
      replayBuffer!.add(prompt: rollout.problems[row].prompt, response: rollout.responses[row], completion: rollout.completions[row],
                        reward: rollout.rewards[row], terms: rollout.rewardTerms.mapValues { $0[row] }, correct: rollout.correct[row],
                        logp: Array(oldLogp[(row * tokens)..<(row * tokens + length)]))
    }
  }
}
