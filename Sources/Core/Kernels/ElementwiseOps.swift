/// The elementwise functions of one argument that the compute core implements as kernels.
public enum UnaryFunction: String, Sendable, Hashable, CaseIterable {
  case neg, exp, log, log1p, tanh, sigmoid, relu, gelu, sqrt, abs, square, reciprocal
  /// The error function, which exact (erf-based) GELU and its derivative are built from.
  case erf
  /// d/dx gelu(x) = Φ(x) + x·φ(x): GELU's backward pass in one kernel.
  case geluDerivative = "gelu_derivative"
  /// 1 where x > 0, else 0: the derivative of relu and the mask of abs's sign.
  case step
  /// −1, 0 or 1.
  case sign
}

/// The elementwise functions of two arguments. Comparisons return 1 or 0.
public enum BinaryFunction: String, Sendable, Hashable, CaseIterable {
  case add, sub, mul, div, pow, min, max
  case less, lessEqual, greater, greaterEqual, equal, notEqual

  /// Comparisons produce a 0/1 mask and have no gradient.
  public var isComparison: Bool {
    switch self {
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
    default: false
    }
  }
}
