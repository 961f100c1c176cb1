import Core

/// The held-out problems of a generated task, drawn from the task's own fixed seed.
///
/// Draws from `Philox(seed: seed)` and keeps the first `count` distinct prompts in draw order.
/// Tasks pick `count` as at most a tenth of their problem space (`countFor(space:)`), so the
/// train split keeps nine tenths or more.
struct HeldOutSplit: Sendable {
  /// The held-out problems, in draw order.
  let problems: [TaskProblem]
  /// Their prompts, for the train split's rejection.
  let prompts: Set<String>

  /// The default held-out size: 500, or a tenth of a smaller space (none for fewer than 2).
  static func count(forSpace space: Int) -> Int {
    space < 2 ? 0 : min(500, max(1, space / 10))
  }

  /// Distinct prompts among `draws` problems from a fixed seed: a lower bound of the size of
  /// a problem space that cannot be counted directly (countdown).
  static func distinctPrompts(seed: UInt64, draws: Int, _ generate: (inout Philox) -> TaskProblem) -> Int {
    var rng = Philox(seed: seed, stream: 1)
    var seen: Set<String> = []
    for _ in 0..<draws { seen.insert(generate(&rng).prompt) }
    return seen.count
  }

  init(seed: UInt64, count: Int, _ generate: (inout Philox) -> TaskProblem) {
    var rng = Philox(seed: seed)
    var kept: [TaskProblem] = []
    var seen: Set<String> = []
    // NOTE: the draw cap only matters if `count` were close to the whole space; with a tenth
    // of it the coupon collector needs about 1.05 · count draws.
    var draws = 0
    while kept.count < count, draws < 100 * count + 1000 {
      let problem = generate(&rng)
      draws += 1
      if seen.insert(problem.prompt).inserted { kept.append(problem) }
    }
    problems = kept
    prompts = seen
  }

  /// A problem from `generate` whose prompt is not held out (rejection sampling; the held-out
  /// share is at most a tenth of the problems, so this ends after about one draw).
  func trainingProblem(rng: inout Philox, _ generate: (inout Philox) -> TaskProblem) -> TaskProblem {
    while true {
      let problem = generate(&rng)
      if !prompts.contains(problem.prompt) { return problem }
    }
  }
}
