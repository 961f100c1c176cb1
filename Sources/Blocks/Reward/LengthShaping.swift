import Diagnostics
import Graph

/// A reward-shaping block that is a formula of the response length: a per-sequence term
/// `[N]` added to the task reward. Written in the expression language (`Prelude`):
///
///     overlong:       R_len = 0                                 if L ≤ max − cache
///                           = ((max − cache) − L) / cache · penalty  if max − cache < L ≤ max
///                           = −penalty                          if L > max
///     length_linear:  R_len = −coef · L / Lmax   (only where the task reward is positive
///                                                 with only_correct; Lmax = the mask width)
///
/// - Papers: DAPO (arXiv:2503.14476) soft overlong punishment; GeometryZero (length_linear).
/// - Matches: verl DAPO reward manager `overlong_buffer {len, penalty_factor}`.
public struct LengthShaping: Sendable {
  public enum Kind: String, Sendable { case overlong, lengthLinear = "length_linear" }
  public var kind: Kind
  public var parameters: [String: Double]
  private let span: SourceSpan?

  public init(_ params: BlockParams) throws(CompileError) {
    span = params.span
    switch params.declaration.name {
    case "overlong":
      kind = .overlong
      parameters = ["limit": try params.number("max"), "cache": try params.number("cache"), "penalty": try params.number("penalty")]
      if try params.bool("filter_truncated") {
        throw CompileError("overlong.filter_truncated masks samples out of the loss; it runs with the filters in training", at: span)
      }
    case "length_linear":
      kind = .lengthLinear
      parameters = ["coef": try params.number("coef"), "only_correct": try params.bool("only_correct") ? 1 : 0]
    default:
      throw CompileError("internal error: '\(params.declaration.name)' is not a length-shaping block (please report)", at: span)
    }
  }

  /// The term `[N]`, from the batch's lengths and the task reward `[N]`.
  public func emit(batch: PolicyBatch, reward: Value) throws(CompileError) -> Value {
    try Prelude.lower(kind.rawValue, batch: batch, reward: reward, parameters: parameters, span: span, context: .reward)
  }
}
