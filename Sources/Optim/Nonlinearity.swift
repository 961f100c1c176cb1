/// The activation that follows a layer, which sets the gain of its initializer.
public enum Nonlinearity: Sendable, Hashable {
  /// No activation (gain 1).
  case linear
  /// Logistic sigmoid (gain 1).
  case sigmoid
  /// Hyperbolic tangent (gain 5/3).
  case tanh
  /// Rectified linear unit (gain √2).
  case relu
  /// Leaky ReLU with slope `negativeSlope` below 0.
  case leakyRelu(negativeSlope: Float)
  /// Scaled exponential linear unit (gain 3/4).
  case selu

  /// The gain `torch.nn.init.calculate_gain` gives: the factor that keeps the activation's
  /// variance steady through the layer.
  ///
  ///     linear, sigmoid   1
  ///     tanh              5/3
  ///     relu              √2
  ///     leakyRelu(a)      √(2 / (1 + a²))
  ///     selu              3/4
  public var gain: Float {
    switch self {
    case .linear, .sigmoid: 1
    case .tanh: 5.0 / 3
    case .relu: Float(2).squareRoot()
    case let .leakyRelu(slope): (2 / (1 + slope * slope)).squareRoot()
    case .selu: 0.75
    }
  }
}

/// Which fan a Kaiming initializer normalizes by.
public enum FanMode: Sendable, Hashable {
  /// Preserves the variance of activations in the forward pass (torch's default).
  case fanIn
  /// Preserves the variance of gradients in the backward pass.
  case fanOut
}
