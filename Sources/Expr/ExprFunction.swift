/// The functions of the expression language. Reductions take `over: axis` and respect the
/// token mask; `min`/`max` are elementwise with two arguments and reductions with `over:`.
public enum ExprFunction: String, Sendable, CaseIterable {
  case exp, log, abs, sqrt
  /// Stop-gradient: the value of `x`, no gradient through it.
  case sg
  case min, max, clip, `where`
  case mean, sum, std

  /// Elementwise functions of one argument.
  public var isUnary: Bool { [.exp, .log, .abs, .sqrt, .sg].contains(self) }

  /// Functions that may reduce over an axis.
  public var canReduce: Bool { [.mean, .sum, .std, .min, .max].contains(self) }

  /// Functions that must reduce (take `over:`).
  public var mustReduce: Bool { [.mean, .sum, .std].contains(self) }

  /// How a call is written, for messages.
  public var signature: String {
    switch self {
    case .exp, .log, .abs, .sqrt, .sg: "\(rawValue)(x)"
    case .min, .max: "\(rawValue)(a, b) or \(rawValue)(x, over: axis)"
    case .clip: "clip(x, low, high)"
    case .where: "where(condition, a, b)"
    case .mean, .sum, .std: "\(rawValue)(x, over: axis)"
    }
  }
}
