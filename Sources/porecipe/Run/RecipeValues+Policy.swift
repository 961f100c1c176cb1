import Runtime

extension RecipeValues {
  /// `policy.transformer` as the token and preference trainers build it (the caller has checked
  /// that the policy is a transformer); a dropout other than 0 is refused, `why` saying why.
  func transformerPolicy(valueHead: Bool, why: String = "") throws(RunSetup.Refusal) -> TransformerConfiguration {
    if let dropout = number("policy.transformer.dropout"), dropout != 0 {
      throw refuse("policy.transformer.dropout = \(dropout): 'run' trains without dropout\(why)")
    }
    return TransformerConfiguration(vocabulary: TokenVocabulary.size, layers: try int("policy.transformer.layers"),
                                    width: try int("policy.transformer.width"), heads: try int("policy.transformer.heads"),
                                    context: try int("policy.transformer.context"), valueHead: valueHead)
  }

  /// `policy.warm_start.sft`, its unset keys at their defaults; nil when the recipe has none.
  func warmStart() -> WarmStartConfiguration? {
    guard let until = number("policy.warm_start.sft.until_accuracy") else { return nil }
    var warm = WarmStartConfiguration(untilAccuracy: until)
    warm.maxSteps = int("policy.warm_start.sft.max_steps", default: warm.maxSteps)
    warm.learningRate = number("policy.warm_start.sft.lr") ?? warm.learningRate
    return warm
  }
}
