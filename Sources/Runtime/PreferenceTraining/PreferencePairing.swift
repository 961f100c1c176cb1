import Core
import Foundation

/// One sampled answer to a prompt, scored by the task's verifier.
public struct ScoredAnswer: Sendable, Equatable {
  public var response: [Int32]
  /// The verifier's reward (partial credit where the task grades).
  public var score: Double
  public var correct: Bool

  public init(response: [Int32], score: Double, correct: Bool) {
    (self.response, self.score, self.correct) = (response, score, correct)
  }
}

/// How the answers sampled for one prompt become preference pairs (indices into the answers,
/// chosen first). A prompt whose answers all score alike gives none: it carries no preference.
///
/// - `uniform`: one correct answer against one incorrect answer, each drawn uniformly
///   (the offline `preference` dataset; DPO, Rafailov et al. 2023).
/// - `bestWorst`: the highest against the lowest score (online DPO's default, Guo et al. 2024).
/// - `all`: every answer against every lower-scored one (`rollout.pairs: all`).
/// - `rejection(beta:)`: RSO (Liu et al. 2023, arXiv 2309.06657, Algorithm 1): statistical
///   rejection sampling toward π_sft·exp(r/β) — in rounds, each remaining candidate is
///   accepted with probability exp((r − r_max)/β), r_max the best remaining reward, until
///   `accepted` candidates are drawn — then the best accepted against the worst accepted.
public enum PreferencePairing: Sendable, Equatable, Codable {
  case uniform
  case bestWorst
  case all
  case rejection(beta: Double, accepted: Int)

  public func pairs(_ answers: [ScoredAnswer], rng: inout Philox) -> [(chosen: Int, rejected: Int)] {
    guard answers.count >= 2 else { return [] }
    switch self {
    case .uniform:
      let correct = answers.indices.filter { answers[$0].correct }, wrong = answers.indices.filter { !answers[$0].correct }
      guard !correct.isEmpty, !wrong.isEmpty else { return [] }
      return [(correct[rng.integer(below: correct.count)], wrong[rng.integer(below: wrong.count)])]
    case .bestWorst:
      return Self.extremes(Array(answers.indices), answers)
    case .all:
      var out: [(chosen: Int, rejected: Int)] = []
      for i in answers.indices {
        for j in answers.indices where answers[i].score > answers[j].score && answers[i].response != answers[j].response {
          out.append((i, j))
        }
      }
      return out
    case .rejection(let beta, let accepted):
      let chosen = Self.rejectionSample(answers.map(\.score), count: accepted, beta: beta, rng: &rng)
      return Self.extremes(chosen, answers)
    }
  }

  /// The highest- against the lowest-scored of `indices` (the first of ties), if they differ.
  static func extremes(_ indices: [Int], _ answers: [ScoredAnswer]) -> [(chosen: Int, rejected: Int)] {
    guard let best = indices.max(by: { answers[$0].score < answers[$1].score }),
          let worst = indices.min(by: { answers[$0].score < answers[$1].score }),
          answers[best].score > answers[worst].score, answers[best].response != answers[worst].response else { return [] }
    return [(best, worst)]
  }

  /// RSO's Algorithm 1: indices of `count` candidates (fewer when there are fewer) accepted
  /// toward the distribution ∝ exp(r/β) over the candidates.
  public static func rejectionSample(_ rewards: [Double], count: Int, beta: Double, rng: inout Philox) -> [Int] {
    var remaining = Array(rewards.indices), accepted: [Int] = []
    let wanted = min(count, rewards.count)
    while accepted.count < wanted {
      guard let top = remaining.map({ rewards[$0] }).max() else { break }
      var kept: [Int] = []
      for index in remaining {
        if accepted.count < wanted && rng.uniformDouble() < exp((rewards[index] - top) / beta) {
          accepted.append(index)
        } else {
          kept.append(index)
        }
      }
      remaining = kept
    }
    return accepted
  }
}
