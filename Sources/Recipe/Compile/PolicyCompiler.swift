import Blocks
import Diagnostics
import Expr

/// A checked recipe's `advantage` and `objective` as typed blocks (`PolicyRecipe`), each
/// block reading its resolved parameters (file, parent, `--set` or declared default).
public enum PolicyCompiler {
  /// The typed blocks of `result`, which must have no errors.
  public static func recipe(from result: CheckResult, registry: BlockRegistry = .standard) throws(CompileError) -> PolicyRecipe {
    let used = Dictionary(result.usedBlocks.map { ($0.path, $0) }) { first, _ in first }
    func params(_ decl: BlockDecl, at path: String? = nil) -> BlockParams {
      let path = path ?? decl.path
      let prefix = path + "."
      var values: [String: ParamValue] = [:]
      for (key, resolved) in result.values where key.hasPrefix(prefix) {
        let name = String(key.dropFirst(prefix.count))
        // Keys of a record parameter stay dotted (`adaptive.target`); deeper paths are other blocks'.
        if name.split(separator: ".").count <= 2 { values[name] = resolved.value }
      }
      return BlockParams(decl, values: values, span: used[path]?.span)
    }
    func slot(_ name: String) -> BlockParams? {
      guard let decl = registry.block(named: name), used[decl.path] != nil else { return nil }
      return params(decl)
    }

    if let preference = result.usedBlocks.first(where: { registry.block(named: $0.name)?.kind == .preference }) {
      throw CompileError("'\(preference.name)' is a preference loss; it takes pairs, not a policy-gradient batch", at: preference.span)
    }
    let objectiveSpan = result.keySpans["objective"]
    let advantage = try advantageBlock(result, params: params)

    var recipe = try PolicyRecipe.defaults(advantage: advantage)
    for block in result.usedBlocks { recipe.spans[block.path] = block.span }
    // Nodes point at the entry that made them: the estimator's line, the policy loss's line.
    let estimator = result.usedBlocks.first { $0.path == "advantage.\($0.name)" }
    recipe.spans["advantage"] = result.keySpans["advantage.expr"] ?? estimator?.span ?? result.keySpans["advantage"]
    let rule = result.usedBlocks.first { ["objective.clip", "objective.cispo"].contains($0.path) || registry.block(named: $0.name)?.kind == .structural }
    recipe.spans["objective"] = result.keySpans["objective.expr"] ?? rule?.span ?? objectiveSpan
    for block in result.usedBlocks where block.path.hasPrefix("advantage.then") {
      guard let decl = registry.block(named: block.name), let modifier = BlockLibrary.modifiers[block.name] else {
        throw CompileError("the advantage modifier '\(block.name)' has no compiled math yet", at: block.span)
      }
      recipe.modifiers.append(try modifier.init(params(decl, at: block.path)))
      recipe.spans["advantage.then"] = block.span
    }
    if let ratio = slot("ratio") { recipe.ratio = try ImportanceRatio(ratio) }
    if let aggregate = slot("aggregate") { recipe.aggregation = try LossAggregation(aggregate) }
    if let clip = slot("clip") { recipe.policyLoss = try ClippedSurrogate(clip) }
    if let cispo = slot("cispo") { recipe.policyLoss = try ClippedImportanceWeight(cispo) }
    for block in result.usedBlocks where registry.block(named: block.name)?.kind == .structural {
      guard let decl = registry.block(named: block.name), let rule = try BlockLibrary.structuralRule(params(decl)) else {
        throw CompileError("the objective rule '\(block.name)' has no compiled math yet", at: block.span)
      }
      recipe.policyLoss = rule
    }
    if let expr = result.expressions["objective.expr"] {
      recipe.policyLoss = ExpressionLoss(expr, span: result.keySpans["objective.expr"])
    }
    recipe.tis = try slot("tis").map(TruncatedImportanceWeight.init)
    recipe.kl = try slot("kl").map(KLPenalty.init)
    recipe.entropy = try slot("entropy").map(EntropyBonus.init)
    recipe.value = try slot("value").map(ValueLoss.init)
    return recipe
  }

  /// The recipe's preference loss, if its objective is one.
  public static func preferenceLoss(from result: CheckResult, registry: BlockRegistry = .standard) throws(CompileError)
    -> (loss: PreferenceLoss, span: SourceSpan)? {
    guard let block = result.usedBlocks.first(where: { registry.block(named: $0.name)?.kind == .preference }),
          let decl = registry.block(named: block.name) else { return nil }
    var values: [String: ParamValue] = [:]
    for (key, resolved) in result.values where key.hasPrefix(decl.path + ".") { values[String(key.dropFirst(decl.path.count + 1))] = resolved.value }
    return (try PreferenceLoss(BlockParams(decl, values: values, span: block.span)), block.span)
  }

  private static func advantageBlock(_ result: CheckResult, params: (BlockDecl, String?) -> BlockParams) throws(CompileError) -> PolicyRecipe.Advantage {
    if let expr = result.expressions["advantage.expr"] {
      return .expression(ExpressionAdvantage(expr, span: result.keySpans["advantage.expr"]))
    }
    for block in result.usedBlocks where block.path == "advantage.\(block.name)" {
      guard let estimator = BlockLibrary.estimators[block.name] else {
        throw CompileError("the advantage estimator '\(block.name)' has no compiled math yet", at: block.span,
                           help: ["estimators with math: \(BlockLibrary.estimators.keys.sorted().joined(separator: ", "))"])
      }
      return .estimator(try estimator.init(params(estimator.declaration, nil)))
    }
    throw CompileError("the recipe has no advantage estimator; eval needs 'advantage'", at: result.keySpans["objective"],
                       help: ["add e.g. 'advantage: {group_norm: {}}'"])
  }
}
