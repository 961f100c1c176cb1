import Core

/// Autoregressive sampling from a `TransformerConfiguration` with a KV cache, for up to
/// `rows` prompts at once, on hand-written kernels over Core's `sgemm` (no graph): the
/// prompts go through the network in one block, then one token per row per step, each step
/// attending to the cached keys and values of the earlier ones.
///
///     let sampler = try TokenSampler(configuration, rows: 64, maxPromptLength: 16, maxNewTokens: 48)
///     let responses = try sampler.sample(parameters, prompts: prompts, settings: .init(temperature: 0.7),
///                                        stop: 2, rng: &rng)
///
/// Prompts of different lengths are left-padded exactly as `TokenRows` lays them out (each
/// row's first real token at position 0, padding masked out of attention), so the sampling
/// distribution is the one `TransformerProgram` scores. Every buffer is made in `init`;
/// large products and the attention are split over the cores by fixed partitions, and the
/// draws are made on the calling thread in row order, so the same `rng` gives the same
/// samples. One call at a time (the buffers are the sampler's).
public final class TokenSampler {
  /// How the next token is chosen from the logits z.
  ///
  /// Temperature scales the logits (z / T), then top-k keeps the k largest (ties at the k-th
  /// kept), then top-p keeps the smallest set of most likely tokens whose probability
  /// exceeds p — the order of Hugging Face's logits warpers. `greedy` takes argmax z and
  /// ignores the rest and the rng. Log-probs reported by `TransformerProgram` are always
  /// those of the untempered, unfiltered policy.
  /// - Papers: top-k, Fan et al. 2018 (arXiv:1805.04833); top-p (nucleus), Holtzman et al.
  ///   2019 (arXiv:1904.09751).
  /// - Matches: transformers `TemperatureLogitsWarper`, `TopKLogitsWarper`, `TopPLogitsWarper`.
  public struct Settings: Sendable, Hashable {
    /// Divides the logits; must be positive and finite.
    public var temperature: Float = 1
    /// Keep the k most likely tokens; 0 (or ≥ the vocabulary) keeps all.
    public var topK: Int = 0
    /// Keep the most likely tokens up to this cumulative probability, in (0, 1]; 1 keeps all.
    public var topP: Float = 1
    /// Take the most likely token (the first on ties); no randomness.
    public var greedy: Bool = false

    public init(temperature: Float = 1, topK: Int = 0, topP: Float = 1, greedy: Bool = false) {
      self.temperature = temperature
      self.topK = topK
      self.topP = topP
      self.greedy = greedy
    }

    func validate() throws(RuntimeError) {
      guard temperature > 0, temperature.isFinite else {
        throw .invalidPolicy(reason: "sampling temperature must be positive and finite, got \(temperature) (use greedy for argmax)")
      }
      guard topK >= 0 else { throw .invalidPolicy(reason: "sampling top-k must be ≥ 0 (0 keeps all), got \(topK)") }
      guard topP > 0, topP <= 1 else { throw .invalidPolicy(reason: "sampling top-p must be in (0, 1], got \(topP)") }
    }
  }

  public let configuration: TransformerConfiguration
  public let rows: Int, maxPromptLength: Int, maxNewTokens: Int
  let buffers: SamplerBuffers

  /// Makes the buffers for `rows` prompts of up to `maxPromptLength` tokens and responses of
  /// up to `maxNewTokens`.
  ///
  /// - Throws: `RuntimeError.invalidPolicy` for an invalid configuration, a size below 1, or
  ///   `maxPromptLength + maxNewTokens` beyond the context.
  public init(_ configuration: TransformerConfiguration, rows: Int, maxPromptLength: Int, maxNewTokens: Int) throws(RuntimeError) {
    try configuration.validate()
    guard rows >= 1, maxPromptLength >= 1, maxNewTokens >= 1 else {
      throw .invalidPolicy(reason: "a token sampler needs rows, maxPromptLength and maxNewTokens ≥ 1, got \(rows), \(maxPromptLength), \(maxNewTokens)")
    }
    guard maxPromptLength + maxNewTokens <= configuration.context else {
      throw .invalidPolicy(reason: "maxPromptLength \(maxPromptLength) + maxNewTokens \(maxNewTokens) exceeds the transformer's context \(configuration.context)")
    }
    self.configuration = configuration
    self.rows = rows
    self.maxPromptLength = maxPromptLength
    self.maxNewTokens = maxNewTokens
    buffers = SamplerBuffers(configuration, rows: rows, maxPromptLength: maxPromptLength, maxNewTokens: maxNewTokens)
  }

  /// One response per prompt, each ending at `stop` (included) or after `maxNewTokens`.
  ///
  /// - Parameters:
  ///   - prompts: at most `rows` prompts of 1...`maxPromptLength` token ids each; lengths may differ.
  ///   - stop: the token that ends a response (EOS); pass an id outside the vocabulary (e.g. −1)
  ///     to always generate `maxNewTokens`.
  /// - Throws: `RuntimeError.invalidTokens` for too many prompts, an empty or too long prompt,
  ///   or a token id outside the vocabulary; `.invalidPolicy` for bad settings or parameters
  ///   of another configuration; `.core` for NaN logits.
  public func sample(_ parameters: TransformerParameters, prompts: [[Int32]], settings: Settings, stop: Int32,
                     rng: inout Philox) throws(RuntimeError) -> [[Int32]] {
    try parameters.validate(for: configuration)
    try settings.validate()
    guard prompts.count <= rows else {
      throw .invalidTokens(reason: "\(prompts.count) prompts exceed the sampler's \(rows) rows")
    }
    for (index, prompt) in prompts.enumerated() {
      guard !prompt.isEmpty else { throw .invalidTokens(reason: "prompt \(index) is empty; start it with BOS") }
      guard prompt.count <= maxPromptLength else {
        throw .invalidTokens(reason: "prompt \(index) has \(prompt.count) tokens, more than the sampler's maxPromptLength \(maxPromptLength)")
      }
      if let bad = prompt.first(where: { $0 < 0 || Int($0) >= configuration.vocabulary }) {
        throw .invalidTokens(reason: "prompt \(index) holds token id \(bad), outside the vocabulary 0..<\(configuration.vocabulary)")
      }
    }
    if prompts.isEmpty { return [] }
    let weights = SamplerWeights(parameters, buffers: buffers)
    return try withExtendedLifetime(parameters) { () throws(RuntimeError) -> [[Int32]] in
      try generate(weights, prompts: prompts, settings: settings, stop: stop, rng: &rng)
    }
  }

  private func generate(_ weights: SamplerWeights, prompts: [[Int32]], settings: Settings, stop: Int32,
                        rng: inout Philox) throws(RuntimeError) -> [[Int32]] {
    let count = prompts.count, promptLength = prompts.map(\.count).max() ?? 1
    let b = buffers
    for (row, prompt) in prompts.enumerated() {
      let pad = promptLength - prompt.count
      b.pads[row] = pad
      for slot in 0..<pad { b.sequence[row * b.slots + slot] = 0 }
      for (k, token) in prompt.enumerated() { b.sequence[row * b.slots + pad + k] = token }
    }
    let prepare = { (rows: Range<Int>) in for row in rows { self.prepareChoice(row: row, settings: settings) } }
    advance(weights, rows: count, from: 0, count: promptLength, then: prepare)
    var responses = [[Int32]](repeating: [], count: count)
    var done = [Bool](repeating: false, count: count)
    var remaining = count
    for step in 0..<maxNewTokens {
      for row in 0..<count {
        if done[row] {
          b.sequence[row * b.slots + promptLength + step] = 0  // finished rows run on PAD, unread
          continue
        }
        let token = try choose(row: row, greedy: settings.greedy, rng: &rng)
        responses[row].append(token)
        b.sequence[row * b.slots + promptLength + step] = token
        if token == stop {
          done[row] = true
          remaining -= 1
        }
      }
      if remaining == 0 || step == maxNewTokens - 1 { break }
      advance(weights, rows: count, from: promptLength + step, count: 1, then: prepare)
    }
    return responses
  }
}
