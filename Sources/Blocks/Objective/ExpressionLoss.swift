import Diagnostics
import Expr
import Graph

/// `objective.expr`: a per-token loss (minimized) written in the recipe, aggregated by the
/// `aggregate` slot:
///
///     objective:
///       expr: -min(ratio * adv, clip(ratio, 1 - 0.2, 1 + 0.28) * adv)
///
/// It reads `ratio` (from the `ratio` slot), `adv`, `returns` when the estimator defines
/// them, and the batch's inputs (`logp`, `old_logp`, `ref_logp`, `values`, …).
public struct ExpressionLoss: PolicyLoss {
  public var expression: TypedExpr
  public var span: SourceSpan?

  public init(_ expression: TypedExpr, span: SourceSpan?) {
    self.expression = expression
    self.span = span
  }

  public func tokenLoss(_ input: PolicyLossInput, batch: PolicyBatch) throws(CompileError) -> Value {
    var inputs = batch.expressionInputs(for: expression.inputs)
    inputs["ratio"] = input.ratio
    inputs["adv"] = input.advantages
    inputs["returns"] = input.returns
    return try batch.lower(expression, inputs: inputs, what: "objective.expr", at: span)
  }
}
