import Core

extension PreferenceTrainer {
  /// Samples `samples` answers per training prompt from the current (warm-started) policy at
  /// `rollout.temperature`, scores them, and turns each prompt's answers into examples until
  /// `units` are built: pairs by `pairing`; KTO a correct and an incorrect answer as two
  /// labelled examples; lists all K answers ranked by the task's partial credit. Prompts
  /// whose answers all score alike are skipped (`skippedPrompts`).
  func buildDataset(units: Int, samples: Int, pairing: PreferencePairing) throws(RuntimeError) -> [PreferenceExample] {
    var out: [PreferenceExample] = []
    var built = 0, prompts = 0
    let perRound = max(1, 256 / samples)
    let limit = units * 50
    while built < units && prompts < limit {
      let groups = try sampleGroups(prompts: perRound, group: samples)
      prompts += perRound
      for group in groups where built < units {
        let made = examples(from: group, pairing: pairing, limit: 1)
        if made.isEmpty { skippedPrompts += 1; continue }
        out += made
        built += 1
      }
    }
    guard built > 0 else {
      throw .invalidConfiguration(reason: "task.preference: no prompt of \(prompts) gave answers of different scores to pair; the warm start is always right or always wrong (raise samples or change policy.warm_start)")
    }
    return out
  }

  /// One prompt's scored answers.
  struct ScoredGroup {
    var problem: TaskProblem
    var prompt: [Int32]
    var answers: [ScoredAnswer]
  }

  /// `group` answers to each of `prompts` training problems from the current policy.
  func sampleGroups(prompts: Int, group: Int) throws(RuntimeError) -> [ScoredGroup] {
    guard let task else { return [] }
    let rows = prompts * group
    if sampler == nil || sampler!.rows < rows {
      sampler = try TokenSampler(configuration.policy, rows: rows, maxPromptLength: promptLength, maxNewTokens: responseLength)
    }
    guard let sampler else { return [] }
    var problems: [TaskProblem] = [], promptTokens: [[Int32]] = []
    for _ in 0..<prompts {
      let problem = task.trainingProblem(rng: &problemRNG)
      problems.append(problem)
      promptTokens.append(try TaskEvaluator.promptTokens(problem))
    }
    let settings = TokenSampler.Settings(temperature: Float(configuration.temperature))
    let responses = try sampler.sample(parameters, prompts: promptTokens.flatMap { Array(repeating: $0, count: group) }, settings: settings,
                                       stop: TokenVocabulary.eos, rng: &samplingRNG)
    return (0..<prompts).map { p in
      let answers = (0..<group).map { g in
        let response = responses[p * group + g]
        let completion = TokenVocabulary.decode(response)
        let score = task.score(completion, for: problems[p])
        return ScoredAnswer(response: response, score: Self.credit(task.partialAnswer(completion, for: problems[p]), score: score),
                            correct: score.correct)
      }
      return ScoredGroup(problem: problems[p], prompt: promptTokens[p], answers: answers)
    }
  }

  /// The score lists are ranked by: graded partial credit, or for numeric answers the
  /// reward plus a closeness bonus below it (1 / (1 + |error|) / 2) so near misses rank above
  /// far ones and every correct answer above every incorrect one.
  static func credit(_ partial: PartialAnswer, score: TaskScore) -> Double {
    switch partial {
    case .graded(let value): return value
    case .numeric(let value, let reference):
      guard !score.correct else { return 1 }
      guard let value else { return 0 }
      return 0.5 / (1 + abs(value - reference))
    }
  }

  /// The examples one prompt's answers give, in the loss's format: up to `limit` pairs
  /// (nil: all the pairing gives), the answers of those pairs labelled by correctness (KTO), or one list.
  func examples(from group: ScoredGroup, pairing: PreferencePairing, limit: Int?) -> [PreferenceExample] {
    let answers = group.answers
    switch objective.loss.format {
    case .lists:
      let scores = answers.map(\.score)
      guard let top = scores.max(), let bottom = scores.min(), top > bottom else { return [] }
      return [PreferenceExample(prompt: group.prompt, responses: answers.map(\.response), scores: scores, problem: group.problem)]
    case .pairs, .unpaired:
      var pairs = pairing.pairs(answers, rng: &shuffleRNG)
      if let limit { pairs = Array(pairs.prefix(limit)) }
      if objective.loss.format == .unpaired {
        return pairs.flatMap { pair in
          [PreferenceExample(prompt: group.prompt, responses: [answers[pair.chosen].response], scores: [answers[pair.chosen].score],
                             desirable: answers[pair.chosen].correct, problem: group.problem),
           PreferenceExample(prompt: group.prompt, responses: [answers[pair.rejected].response], scores: [answers[pair.rejected].score],
                             desirable: answers[pair.rejected].correct, problem: group.problem)]
        }
      }
      return pairs.map { pair in
        .pair(prompt: group.prompt, chosen: answers[pair.chosen].response, rejected: answers[pair.rejected].response,
              scores: (answers[pair.chosen].score, answers[pair.rejected].score), problem: group.problem)
      }
    }
  }
}
