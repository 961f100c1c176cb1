import Core

/// What `TransformerProgram` computes for a `TokenRows` batch, each `[rows, responseLength]`
/// and 0 at response padding.
public struct TransformerOutputs: Sendable {
  /// log π(response token t | prompt, response tokens < t) of the UNTEMPERED policy
  /// (temperature, top-k and top-p only shape sampling; the trainer's ratios and KL use these).
  public var logp: Tensor
  /// Entropy of the full next-token distribution at each response position.
  public var entropy: Tensor
  /// V at the state before each response token, when the value head is on.
  public var value: Tensor?

  public init(logp: Tensor, entropy: Tensor, value: Tensor?) {
    self.logp = logp
    self.entropy = entropy
    self.value = value
  }
}
