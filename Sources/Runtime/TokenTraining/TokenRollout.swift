import Core

/// One iteration's responses: `prompts × group` rows, prompt-major (row = p · group + g), with
/// what the reward stage and the filters made of them.
///
/// A row whose `mask` is off (a group dynamic sampling could not fill, a sample CPPO
/// pruned, an overlong sample with `filter_truncated`) stays in the batch's shape and is
/// counted nowhere: its mask row is all zero, so the aggregation and the gradient skip it.
public struct TokenRollout: Sendable {
  public var problems: [TaskProblem]
  /// BOS + the prompt's tokens, per row.
  public var prompts: [[Int32]]
  /// The sampled tokens, EOS included when the policy stopped; at most `max_tokens`.
  public var responses: [[Int32]]
  public var completions: [String]
  public var rewards: [Double]
  public var correct: [Bool]
  /// Weighted reward terms per row, by the recipe's reward key.
  public var rewardTerms: [String: [Double]]
  /// Rows that take part in the loss.
  public var active: [Bool]
  /// The greedy response's reward of each row's prompt (ReMax's baseline), when used.
  public var baselineRewards: [Double]?

  public init() {
    (problems, prompts, responses, completions, rewards, correct) = ([], [], [], [], [], [])
    (rewardTerms, active, baselineRewards) = ([:], [], nil)
  }

  public var rows: Int { responses.count }

  /// Appends one group of rows.
  mutating func append(group: TokenRollout, rows range: Range<Int>) {
    problems += group.problems[range]
    prompts += group.prompts[range]
    responses += group.responses[range]
    completions += group.completions[range]
    rewards += group.rewards[range]
    correct += group.correct[range]
    active += group.active[range]
    for (name, values) in group.rewardTerms { rewardTerms[name, default: Array(repeating: 0, count: problems.count - range.count)] += values[range] }
    if let baseline = group.baselineRewards { baselineRewards = (baselineRewards ?? []) + baseline[range] }
  }

  /// The batch laid out for the transformer: prompts left-padded to `promptLength`,
  /// responses right-padded to `responseLength`.
  public func tokenRows(_ indices: some Collection<Int>, promptLength: Int, responseLength: Int) -> TokenRows {
    var rows = TokenRows(rows: indices.count, promptLength: promptLength, responseLength: responseLength)
    for (slot, index) in indices.enumerated() { rows.set(row: slot, prompt: prompts[index], response: responses[index]) }
    return rows
  }

  /// `[rows.count, tokens]`: 1 on the real response tokens of active rows.
  public func mask(_ indices: some Collection<Int>, tokens: Int) -> Tensor {
    var mask = [Float](repeating: 0, count: indices.count * tokens)
    for (slot, index) in indices.enumerated() where active[index] {
      for t in 0..<min(responses[index].count, tokens) { mask[slot * tokens + t] = 1 }
    }
    return Tensor(shape: [indices.count, tokens], scalars: mask)
  }
}
