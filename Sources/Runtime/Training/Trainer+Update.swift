import Core
import Optim

// MARK: - Minibatch updates

extension Trainer {
  func shuffle() {
    var i = order.count - 1
    while i > 0 {
      order.swapAt(i, shuffleRNG.integer(below: i + 1))
      i -= 1
    }
  }

  func gather(minibatch m: Int) {
    let size = configuration.minibatchSize, obsSize = policy.observationSize, width = policy.actionSpace.width
    let start = m * size
    let s = batchSlots
    let obs = batchInputs[s.observations].mutableFloats()
    let oldLogProbs = batchInputs[s.oldLogProbs].mutableFloats()
    let adv = batchInputs[s.advantages].mutableFloats()
    let ret = batchInputs[s.returns].mutableFloats()
    let oldValues = s.oldValues.map { batchInputs[$0].mutableFloats() }
    for k in 0..<size {
      let index = order[start + k]
      for j in 0..<obsSize { obs[k * obsSize + j] = observations[index * obsSize + j] }
      oldLogProbs[k] = logProbs[index]
      adv[k] = advantages[index]
      ret[k] = returns[index]
      oldValues?[k] = values[index]
    }
    if policy.isGaussian {
      let actions = batchInputs[s.actions].mutableFloats()
      for k in 0..<size { for j in 0..<width { actions[k * width + j] = actionsFloat[order[start + k] * width + j] } }
    } else {
      let actions = batchInputs[s.actions].mutableInt32s()
      for k in 0..<size { actions[k] = actionsInt[order[start + k]] }
    }
    if configuration.normalization == .minibatch { Self.whiten(adv, count: size) }
  }

  /// One forward + backward + clip + Adam step; returns the minibatch's approx_kl.
  func updateMinibatch(iteration number: Int) throws(RuntimeError) -> Double {
    try forwardBackward(iteration: number)
    do { try optimizer.step(parameters: &parameters, gradients: gradients) } catch { throw .optim(error) }
    return lastApproxKL
  }

  /// Runs the planned update and keeps the gradients; the outputs array is dropped on return
  /// so the gradients and parameters are uniquely referenced (updated in place).
  func forwardBackward(iteration number: Int) throws(RuntimeError) {
    inputs.append(contentsOf: parameters)
    inputs.append(contentsOf: batchInputs)
    let outputs: [Tensor]
    do { outputs = try update.run(inputs) } catch {
      inputs.removeAll(keepingCapacity: true)
      throw .graph(error)
    }
    inputs.removeAll(keepingCapacity: true)
    let loss = outputs[0].floats[0]
    for k in 0..<5 {
      let value = outputs[1 + k].floats[0]
      guard value.isFinite else { throw .nonFinite(iteration: number, term: Self.metricNames[k], value: "\(value)") }
      sums[k] += Double(value)
    }
    guard loss.isFinite else { throw .nonFinite(iteration: number, term: "loss", value: "\(loss)") }
    lastApproxKL = Double(outputs[4].floats[0])
    // The executable keeps its output buffers, so the gradients are copied (scaled by the
    // clip factor, as `GradientClipping.clipGlobalNorm` scales them) into buffers of our own.
    for k in 6..<outputs.count { outputGradients.append(outputs[k]) }
    defer { outputGradients.removeAll(keepingCapacity: true) }
    var scale: Float = 1
    if let maxNorm = configuration.gradClip {
      let norm = Double(GradientClipping.globalNorm(outputGradients))
      guard norm.isFinite else { throw .nonFinite(iteration: number, term: "gradient norm", value: "\(norm)") }
      scale = Swift.min(Float(maxNorm / (norm + 1e-6)), 1)
    }
    for k in gradients.indices {
      let source = outputGradients[k].floats, destination = gradients[k].mutableFloats()
      if scale < 1 {
        for j in 0..<gradients[k].count { destination[j] = source[j] * scale }
      } else {
        destination.update(from: source, count: gradients[k].count)
      }
    }
  }
}
