/// The shape of a causal character-level transformer: GPT-2's pre-LN block (LayerNorm before
/// attention and before the MLP, a final LayerNorm), learned absolute position embeddings,
/// multi-head causal self-attention, an MLP of width 4·`width` with exact (erf) GELU, and an
/// output head tied to the token embedding (logits = h · tok_embᵀ).
///
/// Token ids are `0..<vocabulary`; 0 is PAD, 1 BOS, 2 EOS by convention (the task's
/// alphabet fills the rest).
/// - Papers: Vaswani et al. 2017 (arXiv:1706.03762); GPT-2, Radford et al. 2019 (pre-LN,
///   initialization); Press & Wolf 2017, tied embeddings (arXiv:1608.05859).
public struct TransformerConfiguration: Sendable, Hashable, Codable {
  /// Number of token ids, PAD, BOS and EOS included.
  public var vocabulary: Int
  /// Number of transformer blocks.
  public var layers: Int
  /// Model width d (embedding and residual stream).
  public var width: Int
  /// Attention heads; each has width d / heads.
  public var heads: Int
  /// Longest sequence (prompt + response) the position table covers.
  public var context: Int
  /// Whether a linear value head (width → 1) reads the final normed hidden state.
  public var valueHead: Bool

  public init(vocabulary: Int = 64, layers: Int = 2, width: Int = 128, heads: Int = 4, context: Int = 64,
              valueHead: Bool = false) {
    self.vocabulary = vocabulary
    self.layers = layers
    self.width = width
    self.heads = heads
    self.context = context
    self.valueHead = valueHead
  }

  /// Width of one attention head.
  public var headWidth: Int { width / Swift.max(heads, 1) }

  /// Checks that the sizes make a network.
  ///
  /// - Throws: `RuntimeError.invalidPolicy` naming the first size that does not fit.
  public func validate() throws(RuntimeError) {
    for (name, value) in [("vocabulary", vocabulary), ("layers", layers), ("width", width), ("heads", heads),
                          ("context", context)] where value < 1 {
      throw .invalidPolicy(reason: "transformer \(name) must be at least 1, got \(value)")
    }
    guard vocabulary >= 3 else {
      throw .invalidPolicy(reason: "transformer vocabulary must hold PAD, BOS and EOS (at least 3 ids), got \(vocabulary)")
    }
    guard width % heads == 0 else {
      throw .invalidPolicy(reason: "transformer heads \(heads) must divide width \(width)")
    }
  }

  /// Number of scalars in all parameter tensors.
  public var parameterCount: Int {
    let perLayer = 4 * width + (width * 3 * width + 3 * width) + (width * width + width)
      + (width * 4 * width + 4 * width) + (4 * width * width + width)
    return vocabulary * width + context * width + layers * perLayer + 2 * width + (valueHead ? width + 1 : 0)
  }
}
