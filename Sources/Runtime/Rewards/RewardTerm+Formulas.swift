import Foundation

/// The unweighted formula of each stateless term for one sample; see `RewardTerm`.
extension RewardTerm {
  /// `fail + (pass − fail) · s` for the task's reward `s ∈ [0, 1]`.
  static func verifier(score: TaskScore, pass: Double, fail: Double) -> Double {
    fail + (pass - fail) * score.reward
  }

  /// partial_credit of one completion; a numeric completion without a value earns 0.
  static func partialCredit(_ answer: PartialAnswer, mode: PartialCreditMode, power: Double, scale: Double) -> Double {
    switch answer {
    case let .graded(score):
      return score
    case .numeric(nil, _):
      return 0
    case let .numeric(value?, reference):
      let error = Swift.abs(value - reference)
      switch mode {
      case .relativeError:
        return Foundation.pow(Swift.max(0, 1 - error / Swift.max(Swift.abs(reference), 1)), power)
      case .absError:
        return Swift.max(0, 1 - error / scale)
      case .steps:
        // NOTE: token tasks have no gold intermediate steps; `steps` grades a numeric answer
        // as right or wrong.
        return error == 0 ? 1 : 0
      }
    }
  }

  /// DAPO's soft overlong punishment of a length `L` with limit `M` and soft zone `C`:
  /// 0 up to `M − C`, falling linearly to `−penalty` at `M`, `−penalty` past it.
  static func overlong(length: Int, max: Int, cache: Int, penalty: Double) -> Double {
    let expected = max - cache
    if length <= expected { return 0 }
    if length <= max { return Double(expected - length) / Double(cache) * penalty }
    return -penalty
  }

  /// HAPO's cosine shape `f = cos(min(π/2 · L/h, π))`; wrong answers keep only its negative part.
  static func lengthHistory(length: Int, shortest: Int, correct: Bool) -> Double {
    let x = Double(length) / Double(Swift.max(shortest, 1))
    let f = Foundation.cos(Swift.min(Double.pi / 2 * x, Double.pi))
    return correct ? f : Swift.min(f, 0)
  }

  /// `−coef · (repeated n-grams / n-grams)` over the characters of `text`; 0 when it is
  /// shorter than `n`. An n-gram is repeated when an equal one occurs earlier.
  static func repetition(_ text: String, n: Int, coef: Double) -> Double {
    let characters = Array(text)
    let count = characters.count - n + 1
    guard n >= 1, count > 0 else { return 0 }
    var seen: Set<ArraySlice<Character>> = []
    var repeated = 0
    for start in 0..<count where !seen.insert(characters[start..<(start + n)]).inserted { repeated += 1 }
    return -coef * Double(repeated) / Double(count)
  }

  /// Dither's σ at training progress `p ∈ [0, 1]`.
  static func ditherSigma(_ sigma: Double, schedule: DitherSchedule, progress: Double) -> Double {
    switch schedule {
    case .constant: sigma
    case .linearDecay: sigma * (1 - progress)
    case .cosine: sigma * (1 + Foundation.cos(Double.pi * progress)) / 2
    }
  }
}
