import Core
import Foundation

/// The reward stage: the task verifier and the shaping terms, in recipe order.
///
/// Each term adds `weight · R` per sample (formulas on `RewardTerm`); `RewardScores.terms`
/// keeps each contribution under the term's recipe key for logging. Stateful terms (HAPO's
/// length history) and the external command live here: `state`/`restore(_:)` carry the
/// history through checkpoints, and `close()` stops the command.
public final class RewardPipeline {
  /// The task whose verifier scores the samples.
  public let task: any TokenTask
  /// The terms, in recipe order.
  public let terms: [RewardTerm]
  /// `rollout.max_tokens`: `length_linear`'s `Lmax`.
  public let maxTokens: Int
  private var history = LengthHistory()
  private var patterns: [String: NSRegularExpression] = [:]
  private var command: RewardCommandProcess?

  /// Checks the terms against the task and `maxTokens`, compiles `format` patterns and starts
  /// the external command (once; it keeps running across batches).
  /// - Parameter workingDirectory: where the command runs and a relative `argv[0]` is found
  ///   (the recipe's directory); `nil` is the current directory.
  /// - Throws: `RuntimeError.invalidReward` for a term that cannot apply (a bad pattern, a
  ///   soft zone beyond `max_tokens`, a verifier on a task without answers, a term given
  ///   twice); `RuntimeError.rewardCommand` when the command cannot start.
  public init(task: any TokenTask, terms: [RewardTerm], maxTokens: Int, workingDirectory: String? = nil) throws(RuntimeError) {
    self.task = task
    self.terms = terms
    self.maxTokens = maxTokens
    guard maxTokens >= 1 else { throw .invalidReward(reason: "rollout.max_tokens must be at least 1, got \(maxTokens)") }
    var names: Set<String> = []
    for term in terms {
      guard names.insert(term.name).inserted else { throw .invalidReward(reason: "reward.\(term.name) is given twice") }
      guard term.weight.isFinite else { throw .invalidReward(reason: "reward.\(term.name).weight must be finite, got \(term.weight)") }
      try check(term)
    }
    for term in terms {
      switch term {
      case let .format(_, pattern):
        do {
          patterns[pattern] = try NSRegularExpression(pattern: pattern)
        } catch {
          throw .invalidReward(reason: "reward.format.pattern \(pattern.debugDescription) is not a valid regular expression")
        }
      case let .command(_, argv, timeout):
        command = try RewardCommandProcess(argv: argv, timeoutSeconds: timeout, workingDirectory: workingDirectory)
      default:
        break
      }
    }
  }

  deinit { command?.close() }

  /// Scores one batch. `progress ∈ [0, 1]` is the share of training done (dither's schedule);
  /// `rng` feeds dither's noise (one draw per sample, only when dither is on).
  /// - Throws: `RuntimeError.rewardCommand` when the external command fails;
  ///   `RuntimeError.invalidReward` for a progress outside [0, 1].
  public func score(_ samples: [RewardSample], progress: Double, rng: inout Philox) throws(RuntimeError) -> RewardScores {
    guard progress.isFinite, (0...1).contains(progress) else {
      throw .invalidReward(reason: "training progress must be in [0, 1], got \(progress)")
    }
    let scores = samples.map { task.score($0.completion, for: $0.problem) }
    let correct = scores.map(\.correct)
    let batchShortest = LengthHistory.shortestCorrect(samples, correct: correct)
    var result = RewardScores(total: Array(repeating: 0, count: samples.count), correct: correct, terms: [:],
                              excluded: Array(repeating: false, count: samples.count))
    for term in terms {
      let values = try unweighted(term, samples: samples, scores: scores, batchShortest: batchShortest,
                                  progress: progress, excluded: &result.excluded, rng: &rng)
      let weighted = values.map { term.weight * $0 }
      result.terms[term.name] = weighted
      for i in weighted.indices { result.total[i] += weighted[i] }
    }
    history.update(with: batchShortest)
    return result
  }

  /// JSON of the stateful terms' state (HAPO's history), for checkpoints.
  public var state: Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return (try? encoder.encode(["length_history": history.shortest])) ?? Data("{}".utf8)
  }

  /// Restores what `state` saved.
  /// - Throws: `RuntimeError.invalidCheckpoint` when `state` is not such JSON.
  public func restore(_ state: Data) throws(RuntimeError) {
    do {
      let saved = try JSONDecoder().decode([String: [String: Int]].self, from: state)
      history = LengthHistory(shortest: saved["length_history"] ?? [:])
    } catch {
      throw .invalidCheckpoint(reason: "the reward state is not the JSON RewardPipeline.state writes")
    }
  }

  /// Stops the external command (closes its input, then terminates it); idempotent.
  public func close() {
    command?.close()
  }

  // MARK: - Terms

  private func check(_ term: RewardTerm) throws(RuntimeError) {
    switch term {
    case .verifier, .partialCredit, .lengthHistory:
      guard task.canVerify else {
        throw .invalidReward(reason: "reward.\(term.name) needs reference answers, and the \(task.name) task has none; "
          + "score it with reward.command or reward.format")
      }
    default:
      break
    }
    switch term {
    case let .overlong(_, max, cache, penalty, _):
      guard cache >= 1, cache < max else {
        throw .invalidReward(reason: "reward.overlong needs 0 < cache < max, got cache \(cache) and max \(max)")
      }
      guard max - cache < maxTokens else {
        throw .invalidReward(reason: "reward.overlong never applies: its soft zone starts after \(max - cache) tokens "
          + "and responses stop at rollout.max_tokens \(maxTokens)")
      }
      guard penalty.isFinite, penalty >= 0 else { throw .invalidReward(reason: "reward.overlong.penalty must be ≥ 0, got \(penalty)") }
    case let .partialCredit(_, _, power, scale):
      guard power > 0, scale > 0 else {
        throw .invalidReward(reason: "reward.partial_credit needs power > 0 and scale > 0, got \(power) and \(scale)")
      }
    case let .repetition(_, n, _):
      guard n >= 1 else { throw .invalidReward(reason: "reward.repetition.n must be at least 1, got \(n)") }
    case let .dither(_, _, sigma, _):
      guard sigma.isFinite, sigma > 0 else { throw .invalidReward(reason: "reward.dither.sigma must be > 0, got \(sigma)") }
    case let .command(_, argv, timeout):
      guard !argv.isEmpty else { throw .invalidReward(reason: "reward.command.argv is empty") }
      guard timeout.isFinite, timeout > 0 else {
        throw .invalidReward(reason: "reward.command.timeout_s must be > 0, got \(timeout)")
      }
    case .verifier, .lengthHistory, .lengthLinear, .format:
      break
    }
  }

  private func unweighted(_ term: RewardTerm, samples: [RewardSample], scores: [TaskScore], batchShortest: [String: Int],
                          progress: Double, excluded: inout [Bool], rng: inout Philox) throws(RuntimeError) -> [Double] {
    switch term {
    case let .verifier(_, pass, fail):
      return scores.map { RewardTerm.verifier(score: $0, pass: pass, fail: fail) }
    case let .partialCredit(_, mode, power, scale):
      return samples.map {
        RewardTerm.partialCredit(task.partialAnswer($0.completion, for: $0.problem), mode: mode, power: power, scale: scale)
      }
    case let .overlong(_, max, cache, penalty, filterTruncated):
      return samples.indices.map { i in
        if filterTruncated, samples[i].truncated {
          excluded[i] = true
          return 0
        }
        return RewardTerm.overlong(length: samples[i].length, max: max, cache: cache, penalty: penalty)
      }
    case let .lengthLinear(_, coef, onlyCorrect):
      return samples.indices.map { i in
        onlyCorrect && !scores[i].correct ? 0 : -coef * Double(samples[i].length) / Double(maxTokens)
      }
    case let .lengthHistory(_, initial):
      var known = history
      if initial == .firstCorrect { known.start(with: batchShortest) }
      return samples.indices.map { i in
        guard let shortest = known.shortest[samples[i].problem.prompt] else { return 0 }
        return RewardTerm.lengthHistory(length: samples[i].length, shortest: shortest, correct: scores[i].correct)
      }
    case let .repetition(_, n, coef):
      return samples.map { RewardTerm.repetition($0.completion, n: n, coef: coef) }
    case let .dither(_, gaussian, sigma, schedule):
      let sigmaNow = RewardTerm.ditherSigma(sigma, schedule: schedule, progress: progress)
      let halfWidth = sigmaNow * 3.0.squareRoot()
      return samples.map { _ in
        gaussian ? sigmaNow * Double(rng.normal()) : halfWidth * (2 * rng.uniformDouble() - 1)
      }
    case let .format(_, pattern):
      guard let expression = patterns[pattern] else { return samples.map { _ in 0 } }
      return samples.map { sample in
        let range = NSRange(sample.completion.startIndex..., in: sample.completion)
        return expression.firstMatch(in: sample.completion, range: range) == nil ? 0 : 1
      }
    case .command:
      guard let command else { return samples.map { _ in 0 } }
      return try command.rewards(for: samples)
    }
  }
}
