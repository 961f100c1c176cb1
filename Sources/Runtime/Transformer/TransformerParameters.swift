import Core

/// The weights of a `TransformerConfiguration`, in a fixed order with stable names (the
/// safetensors keys of a checkpoint):
///
///     tok_emb [V, d]  pos_emb [context, d]
///     per layer l:  l{l}.ln1.g [d]  l{l}.ln1.b [d]  l{l}.qkv.w [d, 3d]  l{l}.qkv.b [3d]
///                   l{l}.proj.w [d, d]  l{l}.proj.b [d]  l{l}.ln2.g [d]  l{l}.ln2.b [d]
///                   l{l}.fc.w [d, 4d]  l{l}.fc.b [4d]  l{l}.out.w [4d, d]  l{l}.out.b [d]
///     ln_f.g [d]  ln_f.b [d]
///     value.w [d, 1]  value.b [1]      (only with the value head)
///
/// Weights are stored `[fanIn, fanOut]` (y = x·W + b); qkv's columns are Q, K, V, each split
/// into heads of d / heads consecutive columns. A frozen reference copy for KL is simply
/// another value of this type (tensors are copied on write).
public struct TransformerParameters: Sendable {
  public let configuration: TransformerConfiguration
  public var tensors: [Tensor]
  public var names: [String]

  /// Wraps tensors given in `layout(of:)` order.
  ///
  /// - Throws: `RuntimeError.invalidPolicy` when the count or a shape does not match.
  public init(_ configuration: TransformerConfiguration, tensors: [Tensor]) throws(RuntimeError) {
    try configuration.validate()
    let layout = Self.layout(of: configuration)
    guard tensors.count == layout.count else {
      throw .invalidPolicy(reason: "a transformer with this configuration has \(layout.count) parameter tensors, got \(tensors.count)")
    }
    for ((name, shape), tensor) in zip(layout, tensors) where tensor.shape != shape || tensor.dtype != .float32 {
      throw .invalidPolicy(reason: "transformer parameter '\(name)' must be float32\(shape), got \(tensor.dtype)\(tensor.shape)")
    }
    self.configuration = configuration
    self.tensors = tensors
    self.names = layout.map(\.name)
  }

  /// Looks the tensors up by name (e.g. from `SafeTensors.decode`); extra names are ignored.
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` for a missing name or a wrong shape.
  public init(_ configuration: TransformerConfiguration, named tensors: [String: Tensor]) throws(RuntimeError) {
    try configuration.validate()
    var ordered: [Tensor] = []
    for (name, shape) in Self.layout(of: configuration) {
      guard let tensor = tensors[name] else { throw .invalidCheckpoint(reason: "transformer parameter '\(name)' is missing") }
      guard tensor.shape == shape, tensor.dtype == .float32 else {
        throw .invalidCheckpoint(reason: "transformer parameter '\(name)' must be float32\(shape), got \(tensor.dtype)\(tensor.shape)")
      }
      ordered.append(tensor)
    }
    self.configuration = configuration
    self.tensors = ordered
    self.names = Self.layout(of: configuration).map(\.name)
  }

  /// Every parameter's name and shape, in order.
  public static func layout(of c: TransformerConfiguration) -> [(name: String, shape: Shape)] {
    let d = c.width
    var result: [(String, Shape)] = [("tok_emb", [c.vocabulary, d]), ("pos_emb", [c.context, d])]
    for l in 0..<c.layers {
      result += [("l\(l).ln1.g", [d]), ("l\(l).ln1.b", [d]), ("l\(l).qkv.w", [d, 3 * d]), ("l\(l).qkv.b", [3 * d]),
                 ("l\(l).proj.w", [d, d]), ("l\(l).proj.b", [d]), ("l\(l).ln2.g", [d]), ("l\(l).ln2.b", [d]),
                 ("l\(l).fc.w", [d, 4 * d]), ("l\(l).fc.b", [4 * d]), ("l\(l).out.w", [4 * d, d]), ("l\(l).out.b", [d])]
    }
    result += [("ln_f.g", [d]), ("ln_f.b", [d])]
    if c.valueHead { result += [("value.w", [d, 1]), ("value.b", [1])] }
    return result.map { (name: $0.0, shape: $0.1) }
  }

  /// GPT-2 initialization: weights and embeddings N(0, 0.02), the residual output
  /// projections (`proj.w`, `out.w`) N(0, 0.02/√(2·layers)), biases 0, LayerNorm gains 1,
  /// the value head zeros. Draws come from `rng` in `names` order.
  /// - Paper: Radford et al. 2019, GPT-2 ("scale the weights of residual layers by 1/√N").
  /// - Matches: nanoGPT `_init_weights` and its `c_proj` special case.
  public static func initialized(_ configuration: TransformerConfiguration, rng: inout Philox) -> TransformerParameters {
    let residualStd = Float(0.02 / (2 * Double(Swift.max(configuration.layers, 1))).squareRoot())
    let layout = layout(of: configuration)
    let tensors = layout.map { name, shape -> Tensor in
      if name.hasPrefix("value.") { return Tensor(zeros: shape) }
      if name.hasSuffix(".g") { return Tensor(repeating: 1, shape: shape) }
      if name.hasSuffix(".b") { return Tensor(zeros: shape) }
      let std: Float = name.hasSuffix("proj.w") || name.hasSuffix("out.w") ? residualStd : 0.02
      return Tensor.normal(shape: shape, std: std, rng: &rng)
    }
    return TransformerParameters(unchecked: configuration, tensors: tensors, names: layout.map(\.name))
  }

  init(unchecked configuration: TransformerConfiguration, tensors: [Tensor], names: [String]) {
    self.configuration = configuration
    self.tensors = tensors
    self.names = names
  }

  /// The tensor named `name`, if any.
  public subscript(name: String) -> Tensor? {
    names.firstIndex(of: name).map { tensors[$0] }
  }

  /// Checks that the tensors still fit the configuration (a caller may have replaced them).
  func validate(for configuration: TransformerConfiguration) throws(RuntimeError) {
    guard configuration == self.configuration else {
      throw .invalidPolicy(reason: "the parameters are for transformer \(self.configuration), not \(configuration)")
    }
    let layout = Self.layout(of: configuration)
    guard tensors.count == layout.count else {
      throw .invalidPolicy(reason: "expected \(layout.count) transformer parameter tensors, got \(tensors.count)")
    }
    for ((name, shape), tensor) in zip(layout, tensors) where tensor.shape != shape || tensor.dtype != .float32 {
      throw .invalidPolicy(reason: "transformer parameter '\(name)' must be float32\(shape), got \(tensor.dtype)\(tensor.shape)")
    }
  }
}
