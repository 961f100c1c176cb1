import Graph

extension ActorCritic {
  /// What the network computes for a batch of B observations.
  public struct Outputs {
    /// `[B, n]` logits (categorical) or `[B, d]` means (Gaussian).
    public let head: Value
    /// `[1, d]` log std of a Gaussian head; nil for a categorical head.
    public let logStd: Value?
    /// `[B]` state values.
    public let values: Value
  }

  /// Emits the forward pass on `observations` `[B, observationSize]` with `parameters` given
  /// as graph values in `parameters` order.
  public func forward(_ observations: Value, parameters: [Value]) -> Outputs {
    precondition(parameters.count == self.parameters.count, "expected \(self.parameters.count) parameter values")
    var next = 0
    func layer(_ x: Value, isHidden: Bool) -> Value {
      let y = matmul(x, parameters[next]) + parameters[next + 1]
      next += 2
      guard isHidden else { return y }
      return activation == .tanh ? tanh(y) : relu(y)
    }
    func trunkOutput() -> Value {
      hiddenSizes.reduce(observations) { h, _ in layer(h, isHidden: true) }
    }
    let head: Value, value: Value
    switch trunk {
    case .separate:
      head = layer(trunkOutput(), isHidden: false)
      value = layer(trunkOutput(), isHidden: false)
    case .shared:
      let features = trunkOutput()
      head = layer(features, isHidden: false)
      value = layer(features, isHidden: false)
    }
    let batch = observations.shape[0]
    return Outputs(head: head.named(isGaussian ? "action_mean" : "logits"),
                   logStd: isGaussian ? parameters[next] : nil,
                   values: value.reshaped(to: [batch]).named("value"))
  }
}
