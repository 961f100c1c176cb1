import Core
import Foundation

// MARK: - Rollout and advantages

extension Trainer {
  func rollout(iteration number: Int) throws(RuntimeError) {
    let envs = configuration.envs, size = policy.observationSize, width = policy.actionSpace.width
    let noiseEvery = configuration.sdeSampleFrequency
    for t in 0..<configuration.steps {
      let row = t * envs
      // gSDE: fresh noise matrices at the rollout's start and every `sde_sample_freq` steps.
      if policy.isStateDependent, t == 0 || (noiseEvery > 0 && t % noiseEvery == 0) {
        sampler.resetNoise(parameters: parameters, rng: &samplingRNG, into: &sample)
      }
      let source = policyObservations.floats
      for k in 0..<(envs * size) { observations[row * size + k] = source[k] }
      do {
        try sampler.sample(observations: policyObservations, parameters: parameters, rng: &samplingRNG, into: &sample)
      } catch .core(let error) {
        throw .nonFinite(iteration: number, term: "logits", value: "\(error)")
      }
      if policy.isGaussian {
        let source = sample.actions.floats
        for k in 0..<(envs * width) { actionsFloat[row * width + k] = source[k] }
      } else {
        let source = sample.actions.int32s
        for i in 0..<envs { actionsInt[row + i] = source[i] }
      }
      let sampledLogProbs = sample.logProbs.floats, sampledValues = sample.values.floats
      for i in 0..<envs {
        logProbs[row + i] = sampledLogProbs[i]
        values[row + i] = sampledValues[i]
      }
      try environment.step(actions: sample.actions, into: &step)
      normalization.update(observations: step.observations)
      normalization.normalize(step.observations, into: &policyObservations)
      normalization.scale(rewards: step.rewards, isDone: step.isDone, into: &rewards, offset: row)
      var needsBootstrap = false
      for i in 0..<envs {
        terminated[row + i] = step.terminated[i]
        truncated[row + i] = step.truncated[i]
        truncationValues[row + i] = 0
        if step.truncated[i] && !step.terminated[i] { needsBootstrap = true }
      }
      if needsBootstrap && configuration.bootstrapTruncated {
        normalization.normalize(step.finalObservations, into: &policyFinalObservations)
        try sampler.values(observations: policyFinalObservations, parameters: parameters, into: &scratchValues)
        let bootstrap = scratchValues.floats
        for i in 0..<envs where step.truncated[i] && !step.terminated[i] { truncationValues[row + i] = bootstrap[i] }
      }
    }
    try sampler.values(observations: policyObservations, parameters: parameters, into: &scratchValues)
  }

  func computeAdvantages() {
    let c = configuration
    rewards.withUnsafeBufferPointer { r in
      values.withUnsafeBufferPointer { v in
        terminated.withUnsafeBufferPointer { term in
          truncated.withUnsafeBufferPointer { trunc in
            truncationValues.withUnsafeBufferPointer { tv in
              advantages.withUnsafeMutableBufferPointer { a in
                returns.withUnsafeMutableBufferPointer { ret in
                  GeneralizedAdvantage.compute(rewards: r.baseAddress!, values: v.baseAddress!, terminated: term.baseAddress!,
                                               truncated: trunc.baseAddress!, truncationValues: tv.baseAddress!,
                                               nextValues: UnsafePointer(scratchValues.floats), envs: c.envs, steps: c.steps,
                                               gamma: c.gamma, lambda: c.lambda, bootstrapTruncated: c.bootstrapTruncated,
                                               advantages: a.baseAddress!, returns: ret.baseAddress!)
                }
              }
            }
          }
        }
      }
    }
    // trpo steps on the whole rollout, so per-minibatch whitening becomes whitening over it.
    if c.normalization == .batch || (c.policyTerm == .trpo && c.normalization == .minibatch) {
      advantages.withUnsafeMutableBufferPointer { Self.whiten($0.baseAddress!, count: $0.count) }
    }
  }

  /// `(A − mean)·rsqrt(var + 1e-8)` with the unbiased variance, as the `gae` block whitens.
  static func whiten(_ x: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 1 else { return }
    var sum = 0.0
    for i in 0..<count { sum += Double(x[i]) }
    let mean = sum / Double(count)
    var squares = 0.0
    for i in 0..<count { let d = Double(x[i]) - mean; squares += d * d }
    let scale = 1 / (squares / Double(count - 1) + 1e-8).squareRoot()
    for i in 0..<count { x[i] = Float((Double(x[i]) - mean) * scale) }
  }
}
