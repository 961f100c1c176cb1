import Diagnostics
import Expr
import Graph

/// `advantage.expr`: a formula over rewards (and values) written in the recipe; a result
/// without a token axis is broadcast to every real token.
///
///     advantage:
///       expr: (reward - mean(reward, over: group)) / (std(reward, over: group) + 1e-6)
///
/// `reward` is each sequence's score (Σ of its token rewards), `token_reward` the per-token
/// rewards, `len` the response lengths, `max_tokens` the mask width T.
public struct ExpressionAdvantage: Sendable {
  public var expression: TypedExpr
  public var span: SourceSpan?

  public init(_ expression: TypedExpr, span: SourceSpan?) {
    self.expression = expression
    self.span = span
  }

  public func emit(_ input: AdvantageInput, batch: PolicyBatch) throws(CompileError) -> AdvantageOutput {
    var inputs = batch.expressionInputs(for: expression.inputs)
    inputs["reward"] = input.scores
    inputs["token_reward"] = input.tokenRewards
    let value = try batch.lower(expression, inputs: inputs, what: "advantage.expr", at: span)
    return AdvantageOutput(advantages: batch.graph.masked(value))
  }
}
