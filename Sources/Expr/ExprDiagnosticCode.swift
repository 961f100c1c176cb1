import Diagnostics

extension DiagnosticCode {
  /// The expression does not parse (a stray character, an unclosed parenthesis, …).
  public static let exprSyntax: DiagnosticCode = "expr-syntax"
  /// A name that is neither an input of this section nor a function.
  public static let unknownName: DiagnosticCode = "unknown-name"
  /// A call of a function the language does not have.
  public static let unknownFunction: DiagnosticCode = "unknown-function"
  /// A call with too few or too many arguments.
  public static let wrongArity: DiagnosticCode = "wrong-arity"
  /// `over:` names an axis that does not exist.
  public static let unknownAxis: DiagnosticCode = "unknown-axis"
  /// A reduction over an axis the value does not have.
  public static let axisMismatch: DiagnosticCode = "axis-mismatch"
  /// A reduction without `over:`.
  public static let missingAxis: DiagnosticCode = "missing-axis"
  /// A labelled argument a function does not take.
  public static let unknownArgument: DiagnosticCode = "unknown-argument"
  /// Arithmetic on a comparison, a comparison where a number is needed, or the reverse.
  public static let exprType: DiagnosticCode = "expr-type"
}
