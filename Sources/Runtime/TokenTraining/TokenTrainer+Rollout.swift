import Core

extension TokenTrainer {
  /// Samples one group per prompt and scores it; with dynamic sampling, rounds continue
  /// until enough groups have mixed outcomes (DAPO). Returns the batch (prompts × group rows)
  /// and the share of sampled groups the filter dropped.
  func collect() throws(RuntimeError) -> (rollout: TokenRollout, filteredFraction: Double) {
    let c = configuration
    guard let dynamic = c.dynamicSampling else {
      let round = try sampleRound()
      return (round, round.active.isEmpty ? 0 : Double(round.active.filter { !$0 }.count) / Double(round.rows))
    }
    var kept = TokenRollout(), dropped = TokenRollout()
    var keptGroups = 0, sampledGroups = 0
    let needed = min(dynamic.minGroups, c.prompts)
    for _ in 0..<dynamic.maxRounds where keptGroups < needed {
      let round = try sampleRound()
      for p in 0..<c.prompts {
        let range = (p * c.group)..<((p + 1) * c.group)
        sampledGroups += 1
        let informative: Bool
        if dynamic.byRewardStd {
          let values = range.map { round.rewards[$0] }
          informative = values.contains { $0 != values[0] }
        } else {
          let correct = range.filter { round.correct[$0] }.count
          informative = correct > 0 && correct < c.group
        }
        if informative && keptGroups < c.prompts {
          kept.append(group: round, rows: range)
          keptGroups += 1
        } else if dropped.rows < c.rows {
          dropped.append(group: round, rows: range)
        }
      }
    }
    // Short of groups after max_rounds: the batch keeps its shape with dropped groups
    // masked out of the loss (they carry no signal).
    var fill = 0
    while kept.rows < c.rows {
      let start = fill * c.group
      var filler = dropped
      for i in start..<(start + c.group) { filler.active[i] = false }
      kept.append(group: filler, rows: start..<(start + c.group))
      fill += 1
    }
    return (kept, Double(sampledGroups - keptGroups) / Double(max(sampledGroups, 1)))
  }

  /// Draws `prompts` problems, samples `group` responses to each, and scores them.
  func sampleRound() throws(RuntimeError) -> TokenRollout {
    let c = configuration
    var round = TokenRollout()
    var promptTokens: [[Int32]] = []
    for _ in 0..<c.prompts {
      let problem = task.trainingProblem(rng: &problemRNG)
      let tokens = try TaskEvaluator.promptTokens(problem)
      guard tokens.count <= promptLength else {
        throw .invalidConfiguration(reason: "a prompt of \(task.name) is \(tokens.count) tokens, longer than the task's declared \(promptLength): \(problem.prompt)")
      }
      for _ in 0..<c.group {
        round.problems.append(problem)
        round.prompts.append(tokens)
      }
      promptTokens.append(tokens)
    }
    let settings = TokenSampler.Settings(temperature: Float(c.temperature), topK: c.topK, topP: Float(c.topP), greedy: false)
    round.responses = try sampler.sample(parameters, prompts: round.prompts, settings: settings, stop: TokenVocabulary.eos, rng: &samplingRNG)
    samples += round.rows
    round.completions = round.responses.map { TokenVocabulary.decode($0) }
    let scores = try score(round.problems, responses: round.responses, completions: round.completions)
    round.rewards = scores.total
    round.correct = scores.correct
    round.rewardTerms = scores.terms
    round.active = scores.excluded.map { !$0 }
    if usesBaseline {
      // ReMax: the reward of the greedy answer to each prompt.
      let greedy = try sampler.sample(parameters, prompts: promptTokens, settings: TokenSampler.Settings(greedy: true),
                                      stop: TokenVocabulary.eos, rng: &samplingRNG)
      let problems = stride(from: 0, to: round.rows, by: c.group).map { round.problems[$0] }
      let baseline = try score(problems, responses: greedy, completions: greedy.map { TokenVocabulary.decode($0) }).total
      round.baselineRewards = (0..<round.rows).map { baseline[$0 / c.group] }
    }
    return round
  }

  private func score(_ problems: [TaskProblem], responses: [[Int32]], completions: [String]) throws(RuntimeError) -> RewardScores {
    let samples = (0..<responses.count).map { i in
      RewardSample(problem: problems[i], completion: completions[i], length: responses[i].count,
                   truncated: responses[i].last != TokenVocabulary.eos, group: i / configuration.group)
    }
    let progress = Double(iteration) / Double(configuration.iterations)
    return try rewards.score(samples, progress: progress, rng: &rewardRNG)
  }
}
