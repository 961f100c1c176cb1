import Graph

extension ActorCritic {
  /// What the network computes for a batch of B observations.
  public struct Outputs {
    /// `[B, n]` logits (categorical) or `[B, d]` means (Gaussian).
    public let head: Value
    /// `[1, d]` log std of a Gaussian head (`[B, d]`, one row per state, with gSDE); nil for
    /// a categorical head.
    public let logStd: Value?
    /// gSDE's features z(s) `[B, h]`, detached; nil otherwise.
    public let explorationFeatures: Value?
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
    let head: Value, value: Value, actorFeatures: Value
    switch trunk {
    case .separate:
      actorFeatures = trunkOutput()
      head = layer(actorFeatures, isHidden: false)
      value = layer(trunkOutput(), isHidden: false)
    case .shared:
      actorFeatures = trunkOutput()
      head = layer(actorFeatures, isHidden: false)
      value = layer(actorFeatures, isHidden: false)
    }
    let batch = observations.shape[0]
    var logStd: Value? = isGaussian ? parameters[next] : nil
    var features: Value? = nil
    if isStateDependent, let matrix = logStd {
      // gSDE: σ(s)² = z(s)²·exp(log_std)² + 1e-6 with z detached (SB3's learn_features=False).
      let z = stopGradient(actorFeatures)
      logStd = (log(matmul(square(z), exp(matrix * 2)) + 1e-6) * 0.5).named("log_std_rows")
      features = z.named("exploration_features")
    }
    return Outputs(head: head.named(isGaussian ? "action_mean" : "logits"), logStd: logStd, explorationFeatures: features,
                   values: value.reshaped(to: [batch]).named("value"))
  }
}
