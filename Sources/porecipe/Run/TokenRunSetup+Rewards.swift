import Blocks
import Recipe
import Runtime

extension TokenRunSetup {
  /// The recipe's `reward` blocks as the reward stage's terms, in recipe order; a recipe
  /// without reward blocks is scored by the task's verifier alone.
  static func rewardTerms(_ recipe: ResolvedRecipe, refuse: (String) -> RunSetup.Refusal) throws(RunSetup.Refusal) -> [RewardTerm] {
    func number(_ path: String) -> Double? { recipe.value(path)?.number }
    func string(_ path: String) -> String? { if case .string(let s)? = recipe.value(path) { s } else { nil } }
    func bool(_ path: String) -> Bool? { if case .bool(let b)? = recipe.value(path) { b } else { nil } }
    if recipe.value("reward.expr") != nil { throw refuse("reward.expr is not supported by 'run' yet") }
    var terms: [RewardTerm] = []
    for block in recipe.blocks(in: .reward) {
      let p = "reward.\(block.decl.name)"
      let weight = number("\(p).weight") ?? 1
      switch block.decl.name {
      case "verifier":
        if bool("\(p).partial") == true { throw refuse("reward.verifier.partial is not supported by 'run' yet; add reward.partial_credit instead") }
        terms.append(.verifier(weight: weight, pass: number("\(p).pass") ?? 1, fail: number("\(p).fail") ?? 0))
      case "overlong":
        guard let max = number("\(p).max"), let cache = number("\(p).cache") else { throw refuse("\(p) needs max and cache") }
        terms.append(.overlong(weight: weight, max: Int(max), cache: Int(cache), penalty: number("\(p).penalty") ?? 1,
                               filterTruncated: bool("\(p).filter_truncated") ?? false))
      case "length_linear":
        guard let coef = number("\(p).coef") else { throw refuse("\(p).coef must be set") }
        terms.append(.lengthLinear(weight: weight, coef: coef, onlyCorrect: bool("\(p).only_correct") ?? true))
      case "repetition":
        terms.append(.repetition(weight: weight, n: Int(number("\(p).n") ?? 4), coef: number("\(p).coef") ?? 0.5))
      case "partial_credit":
        let mode = RewardTerm.PartialCreditMode(rawValue: string("\(p).mode") ?? "relative_error") ?? .relativeError
        terms.append(.partialCredit(weight: weight, mode: mode, power: number("\(p).power") ?? 1, scale: number("\(p).scale") ?? 1))
      case "length_history":
        terms.append(.lengthHistory(weight: weight, initial: RewardTerm.HistoryStart(rawValue: string("\(p).init") ?? "none") ?? .none))
      case "dither":
        terms.append(.dither(weight: weight, gaussian: string("\(p).dist") != "uniform", sigma: number("\(p).sigma") ?? 0.05,
                             schedule: RewardTerm.DitherSchedule(rawValue: string("\(p).schedule") ?? "constant") ?? .constant))
      case "format":
        guard let pattern = string("\(p).pattern") else { throw refuse("\(p).pattern must be set") }
        terms.append(.format(weight: weight, pattern: pattern))
      case "command":
        guard case .list(let items)? = recipe.value("\(p).argv") else { throw refuse("\(p).argv must be set") }
        let argv = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        terms.append(.command(weight: weight, argv: argv, timeoutSeconds: number("\(p).timeout_s") ?? 10))
      default:
        throw refuse("'run' supports the rewards verifier, overlong, length_linear, length_history, repetition, dither, format, partial_credit and command so far, not '\(block.decl.name)'")
      }
    }
    return terms
  }
}
