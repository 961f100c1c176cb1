import Blocks
import Recipe
import Runtime

extension TokenRunSetup {
  /// The recipe's `reward` blocks as the reward stage's terms, in recipe order; a recipe
  /// without reward blocks is scored by the task's verifier alone.
  static func rewardTerms(_ values: RecipeValues) throws(RunSetup.Refusal) -> [RewardTerm] {
    if values.recipe.value("reward.expr") != nil { throw values.refuse("reward.expr is not supported by 'run' yet") }
    var terms: [RewardTerm] = []
    for block in values.recipe.blocks(in: .reward) {
      let p = "reward.\(block.decl.name)"
      let weight = values.number("\(p).weight") ?? 1
      switch block.decl.name {
      case "verifier":
        if values.bool("\(p).partial") == true { throw values.refuse("reward.verifier.partial is not supported by 'run' yet; add reward.partial_credit instead") }
        terms.append(.verifier(weight: weight, pass: values.number("\(p).pass") ?? 1, fail: values.number("\(p).fail") ?? 0))
      case "overlong":
        guard let max = values.number("\(p).max"), let cache = values.number("\(p).cache") else { throw values.refuse("\(p) needs max and cache") }
        terms.append(.overlong(weight: weight, max: Int(max), cache: Int(cache), penalty: values.number("\(p).penalty") ?? 1,
                               filterTruncated: values.bool("\(p).filter_truncated") ?? false))
      case "length_linear":
        guard let coef = values.number("\(p).coef") else { throw values.refuse("\(p).coef must be set") }
        terms.append(.lengthLinear(weight: weight, coef: coef, onlyCorrect: values.bool("\(p).only_correct") ?? true))
      case "repetition":
        terms.append(.repetition(weight: weight, n: values.int("\(p).n", default: 4), coef: values.number("\(p).coef") ?? 0.5))
      case "partial_credit":
        let mode = RewardTerm.PartialCreditMode(rawValue: values.string("\(p).mode") ?? "relative_error") ?? .relativeError
        terms.append(.partialCredit(weight: weight, mode: mode, power: values.number("\(p).power") ?? 1, scale: values.number("\(p).scale") ?? 1))
      case "length_history":
        terms.append(.lengthHistory(weight: weight, initial: RewardTerm.HistoryStart(rawValue: values.string("\(p).init") ?? "none") ?? .none))
      case "dither":
        terms.append(.dither(weight: weight, gaussian: values.string("\(p).dist") != "uniform", sigma: values.number("\(p).sigma") ?? 0.05,
                             schedule: RewardTerm.DitherSchedule(rawValue: values.string("\(p).schedule") ?? "constant") ?? .constant))
      case "format":
        guard let pattern = values.string("\(p).pattern") else { throw values.refuse("\(p).pattern must be set") }
        terms.append(.format(weight: weight, pattern: pattern))
      case "command":
        guard let items = values.list("\(p).argv") else { throw values.refuse("\(p).argv must be set") }
        let argv = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        terms.append(.command(weight: weight, argv: argv, timeoutSeconds: values.number("\(p).timeout_s") ?? 10))
      default:
        throw values.refuse("'run' supports the rewards verifier, overlong, length_linear, length_history, repetition, dither, format, partial_credit and command so far, not '\(block.decl.name)'")
      }
    }
    return terms
  }
}
