import Core

/// How to fill a new parameter tensor, drawing from a seeded `Philox` generator.
///
/// Weight shapes follow torch's `Linear`: `[fanOut, fanIn]` (output features first), and for
/// higher ranks `[outChannels, inChannels, k₁, k₂, …]` where the trailing receptive field
/// multiplies both fans:
///
///     fanIn  = shape[1] · Π shape[2...]
///     fanOut = shape[0] · Π shape[2...]
///
/// CleanRL's PPO initializes hidden layers with `.orthogonal(gain: √2)`, the policy head with
/// `.orthogonal(gain: 0.01)`, the value head with `.orthogonal(gain: 1)` and biases with `.zeros`.
public enum Initializer: Sendable, Hashable {
  /// All zeros.
  case zeros
  /// All elements `value`.
  case constant(Float)
  /// Independent uniform draws in [low, high).
  case uniform(low: Float, high: Float)
  /// Independent normal draws.
  case normal(mean: Float, std: Float)
  /// U(−a, a) with `a = gain · √(6 / (fanIn + fanOut))`.
  /// - Paper: Glorot & Bengio 2010, "Understanding the difficulty of training deep feedforward
  ///   neural networks" (AISTATS). Matches `torch.nn.init.xavier_uniform_`.
  case xavierUniform(gain: Float = 1)
  /// N(0, σ²) with `σ = gain · √(2 / (fanIn + fanOut))`. Matches `torch.nn.init.xavier_normal_`.
  case xavierNormal(gain: Float = 1)
  /// U(−b, b) with `b = √3 · gain / √fan`, fan chosen by `mode`, gain by `nonlinearity`.
  /// - Paper: He, Zhang, Ren & Sun 2015, "Delving Deep into Rectifiers" (arXiv:1502.01852).
  ///   Matches `torch.nn.init.kaiming_uniform_` (whose default, leaky_relu with a = 0, is `.relu`).
  case kaimingUniform(nonlinearity: Nonlinearity = .relu, mode: FanMode = .fanIn)
  /// N(0, σ²) with `σ = gain / √fan`. Matches `torch.nn.init.kaiming_normal_`.
  case kaimingNormal(nonlinearity: Nonlinearity = .relu, mode: FanMode = .fanIn)
  /// A (semi-)orthogonal matrix times `gain`: with `rows = shape[0]` and `cols` the product of
  /// the rest, QᵀQ = gain²·I when rows ≥ cols, QQᵀ = gain²·I when rows < cols.
  ///
  /// As `torch.nn.init.orthogonal_`: draw a rows × cols standard normal matrix, transpose it if
  /// rows < cols, take its QR decomposition with the signs fixed so that diag(R) > 0
  /// (torch multiplies Q by sign(diag R); Gram–Schmidt yields that Q directly), transpose back.
  /// The decomposition runs in `Double` (Gram–Schmidt with one reorthogonalization pass).
  /// - Paper: Saxe, McClelland & Ganguli 2013, "Exact solutions to the nonlinear dynamics of
  ///   learning in deep linear neural networks" (arXiv:1312.6120).
  case orthogonal(gain: Float = 1)

  /// A new tensor of `shape` filled by this initializer; draws come from `rng` in row-major order
  /// (`zeros` and `constant` draw nothing).
  ///
  /// - Throws: `OptimError.unsupportedShape` when the fans or the matrix are undefined (rank < 2
  ///   for Xavier, Kaiming and orthogonal; a zero fan); `OptimError.invalidHyperparameter` for a
  ///   non-finite value, a negative std or gain, or low > high.
  public func tensor(shape: Shape, rng: inout Philox) throws(OptimError) -> Tensor {
    switch self {
    case .zeros:
      return Tensor(zeros: shape)
    case let .constant(value):
      try Self.requireFinite("value", value)
      return Tensor(repeating: value, shape: shape)
    case let .uniform(low, high):
      try Self.requireFinite("low", low)
      try Self.requireFinite("high", high)
      guard low <= high else {
        throw .invalidHyperparameter(name: "low", value: low, reason: "must not exceed high \(high)")
      }
      return Tensor.uniform(shape: shape, low: low, high: high, rng: &rng)
    case let .normal(mean, std):
      try Self.requireFinite("mean", mean)
      try OptimizerValidation.require("std", std, atLeast: 0)
      return Tensor.normal(shape: shape, mean: mean, std: std, rng: &rng)
    case let .xavierUniform(gain):
      let bound = try 3.0.squareRoot() * xavierStd(shape: shape, gain: gain)
      return Tensor.uniform(shape: shape, low: Float(-bound), high: Float(bound), rng: &rng)
    case let .xavierNormal(gain):
      return Tensor.normal(shape: shape, mean: 0, std: Float(try xavierStd(shape: shape, gain: gain)), rng: &rng)
    case let .kaimingUniform(nonlinearity, mode):
      let bound = try 3.0.squareRoot() * kaimingStd(shape: shape, nonlinearity: nonlinearity, mode: mode)
      return Tensor.uniform(shape: shape, low: Float(-bound), high: Float(bound), rng: &rng)
    case let .kaimingNormal(nonlinearity, mode):
      let std = try kaimingStd(shape: shape, nonlinearity: nonlinearity, mode: mode)
      return Tensor.normal(shape: shape, mean: 0, std: Float(std), rng: &rng)
    case let .orthogonal(gain):
      try OptimizerValidation.require("gain", gain, atLeast: 0)
      return try Self.orthogonal(shape: shape, gain: gain, rng: &rng)
    }
  }

  /// The fans of a weight of `shape` (see the type's description), as
  /// `torch.nn.init._calculate_fan_in_and_fan_out`.
  ///
  /// - Throws: `OptimError.unsupportedShape` for rank < 2.
  public static func fans(of shape: Shape) throws(OptimError) -> (fanIn: Int, fanOut: Int) {
    try fans(of: shape, initializer: "fan")
  }

  static func fans(of shape: Shape, initializer: String) throws(OptimError) -> (fanIn: Int, fanOut: Int) {
    guard shape.rank >= 2 else {
      throw .unsupportedShape(initializer: initializer, shape: shape,
                              reason: "fans need at least 2 dimensions [fanOut, fanIn, …]")
    }
    let receptiveField = shape.dims.dropFirst(2).reduce(1, *)
    return (shape[1] * receptiveField, shape[0] * receptiveField)
  }

  // MARK: - Scales

  private func xavierStd(shape: Shape, gain: Float) throws(OptimError) -> Double {
    try OptimizerValidation.require("gain", gain, atLeast: 0)
    let (fanIn, fanOut) = try Self.fans(of: shape, initializer: "xavier")
    guard fanIn + fanOut > 0 else {
      throw .unsupportedShape(initializer: "xavier", shape: shape, reason: "fanIn + fanOut is 0")
    }
    return Double(gain) * (2 / Double(fanIn + fanOut)).squareRoot()
  }

  private func kaimingStd(shape: Shape, nonlinearity: Nonlinearity, mode: FanMode) throws(OptimError) -> Double {
    let gain = nonlinearity.gain
    try OptimizerValidation.require("gain", gain, atLeast: 0)
    let (fanIn, fanOut) = try Self.fans(of: shape, initializer: "kaiming")
    let fan = mode == .fanIn ? fanIn : fanOut
    guard fan > 0 else { throw .unsupportedShape(initializer: "kaiming", shape: shape, reason: "the fan is 0") }
    return Double(gain) / Double(fan).squareRoot()
  }

  private static func requireFinite(_ name: String, _ value: Float) throws(OptimError) {
    guard value.isFinite else { throw .invalidHyperparameter(name: name, value: value, reason: "must be finite") }
  }
}
