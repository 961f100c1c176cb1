import Core
import Optim
import Testing
import TestSupport

@Suite struct SGDTests {
  @Test("momentum 0.9 on a constant gradient, by hand")
  func handMomentum() throws {
    // lr 0.1, μ 0.9, p₀ = [1, 2], g = [1, −1] every step:
    //   t=1: b = g            = [1, −1]     p = [1 − 0.1, 2 + 0.1]     = [0.9, 2.1]
    //   t=2: b = 0.9·b + g    = [1.9, −1.9] p = [0.9 − 0.19, 2.1 + 0.19] = [0.71, 2.29]
    //   t=3: b = 0.9·b + g    = [2.71, −2.71] p = [0.439, 2.561]
    var optimizer = try SGD(learningRate: 0.1, momentum: 0.9)
    var parameters = [Tensor(shape: [2], scalars: [1, 2])]
    let gradient = Tensor(shape: [2], scalars: [1, -1])
    let expected: [[Float]] = [[0.9, 2.1], [0.71, 2.29], [0.439, 2.561]]
    for t in 0..<3 {
      try optimizer.step(parameters: &parameters, gradients: [gradient])
      #expect(allClose(parameters[0].scalars, expected[t]), "step \(t + 1): \(parameters[0].scalars)")
    }
    #expect(optimizer.stepCount == 3)
    #expect(allClose(optimizer.state.buffers[SGD.momentumBufferName]?[0].scalars ?? [], [2.71, -2.71]))
  }

  @Test("weight decay without momentum, by hand")
  func handWeightDecay() throws {
    // lr 0.5, λ 0.1, p₀ = [2, −4, 1], g = [1, 1, 0] every step; d = g + 0.1·p, p ← p − 0.5·d:
    //   t=1: d = [1.2, 0.6, 0.1]          p = [1.4, −4.3, 0.95]
    //   t=2: d = [1.14, 0.57, 0.095]      p = [0.83, −4.585, 0.9025]
    //   t=3: d = [1.083, 0.5415, 0.09025] p = [0.2885, −4.85575, 0.857375]
    var optimizer = try SGD(learningRate: 0.5, weightDecay: 0.1)
    var parameters = [Tensor(shape: [3], scalars: [2, -4, 1])]
    let gradient = Tensor(shape: [3], scalars: [1, 1, 0])
    let expected: [[Float]] = [[1.4, -4.3, 0.95], [0.83, -4.585, 0.9025], [0.2885, -4.85575, 0.857375]]
    for t in 0..<3 {
      try optimizer.step(parameters: &parameters, gradients: [gradient])
      #expect(allClose(parameters[0].scalars, expected[t]), "step \(t + 1): \(parameters[0].scalars)")
    }
    #expect(optimizer.state.buffers.isEmpty)
  }

  @Test("Nesterov momentum, by hand")
  func handNesterov() throws {
    // lr 0.1, μ 0.5, Nesterov, p₀ = [1, 0], g = [2, −4] every step; d = g + μ·b:
    //   t=1: b = [2, −4]      d = [3, −6]      p = [0.7, 0.6]
    //   t=2: b = [3, −6]      d = [3.5, −7]    p = [0.35, 1.3]
    //   t=3: b = [3.5, −7]    d = [3.75, −7.5] p = [−0.025, 2.05]
    var optimizer = try SGD(learningRate: 0.1, momentum: 0.5, nesterov: true)
    var parameters = [Tensor(shape: [2], scalars: [1, 0])]
    let gradient = Tensor(shape: [2], scalars: [2, -4])
    let expected: [[Float]] = [[0.7, 0.6], [0.35, 1.3], [-0.025, 2.05]]
    for t in 0..<3 {
      try optimizer.step(parameters: &parameters, gradients: [gradient])
      #expect(allClose(parameters[0].scalars, expected[t]), "step \(t + 1): \(parameters[0].scalars)")
    }
  }

  /// torch.optim.SGD keyword arguments of one reference run.
  struct Settings: Sendable, CustomTestStringConvertible {
    var lr: Float, momentum: Float = 0, dampening: Float = 0, weightDecay: Float = 0, nesterov = false
    var testDescription: String {
      "lr=\(lr), momentum=\(momentum), dampening=\(dampening), weight_decay=\(weightDecay), nesterov=\(nesterov)"
    }
  }

  @Test("matches torch.optim.SGD over 5 steps",
        arguments: zip([Settings(lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
                        Settings(lr: 0.05, momentum: 0.8, dampening: 0.3),
                        Settings(lr: 0.1, weightDecay: 0.1)],
                       [TorchRun.sgdNesterov, TorchRun.sgdDampening, TorchRun.sgdPlain]))
  func matchesTorch(settings: Settings, expected: TorchRun) throws {
    var optimizer = try SGD(learningRate: settings.lr, momentum: settings.momentum, dampening: settings.dampening,
                            weightDecay: settings.weightDecay, nesterov: settings.nesterov)
    let parameters = try TorchRun.run(&optimizer)
    expectMatches(parameters, optimizer.state, expected)
    #expect(optimizer.state.buffers.count == expected.buffers.count)
    #expect(optimizer.stepCount == 5)
  }

  @Test("rejects mismatched parameters and changes nothing")
  func mismatches() throws {
    var optimizer = try SGD(learningRate: 0.1, momentum: 0.9)
    var parameters = [Tensor(shape: [2], scalars: [1, 2]), Tensor(shape: [3], scalars: [1, 2, 3])]
    let before = parameters
    #expect(throws: OptimError.countMismatch(parameters: 2, gradients: 1)) {
      try optimizer.step(parameters: &parameters, gradients: [Tensor(zeros: [2])])
    }
    #expect(throws: OptimError.shapeMismatch(index: 1, parameter: [3], gradient: [1, 3])) {
      try optimizer.step(parameters: &parameters, gradients: [Tensor(zeros: [2]), Tensor(zeros: [1, 3])])
    }
    #expect(throws: OptimError.notFloat(index: 0, dtype: .int32)) {
      try optimizer.step(parameters: &parameters, gradients: [Tensor(shape: [2], indices: [1, 2]), Tensor(zeros: [3])])
    }
    #expect(parameters == before && optimizer.stepCount == 0)
    try optimizer.step(parameters: &parameters, gradients: [Tensor(zeros: [2]), Tensor(zeros: [3])])
    var other = [Tensor(zeros: [2]), Tensor(zeros: [4])]
    #expect(throws: OptimError.stateShapeMismatch(buffer: "momentum_buffer", index: 1, state: [3], parameter: [4])) {
      try optimizer.step(parameters: &other, gradients: [Tensor(zeros: [2]), Tensor(zeros: [4])])
    }
    var fewer = [Tensor(zeros: [2])]
    #expect(throws: OptimError.stateCountMismatch(buffer: "momentum_buffer", state: 2, parameters: 1)) {
      try optimizer.step(parameters: &fewer, gradients: [Tensor(zeros: [2])])
    }
  }

  @Test("rejects invalid hyperparameters as torch does")
  func hyperparameters() {
    #expect(throws: OptimError.invalidHyperparameter(name: "learningRate", value: -1, reason: "must be a finite number ≥ 0.0")) {
      try SGD(learningRate: -1)
    }
    #expect(throws: OptimError.invalidHyperparameter(name: "momentum", value: 0,
                                                     reason: "Nesterov momentum needs momentum > 0 and dampening 0")) {
      try SGD(learningRate: 0.1, nesterov: true)
    }
  }

  @Test("a restored state continues exactly like the original")
  func restore() throws {
    var original = try SGD(learningRate: 0.05, momentum: 0.8, dampening: 0.3)
    var parameters = TorchRun.initialParameters()
    for t in 1...2 { try original.step(parameters: &parameters, gradients: TorchRun.gradients(step: t)) }
    var resumed = try SGD(learningRate: 0.05, momentum: 0.8, dampening: 0.3)
    try resumed.restore(original.state)
    var copy = parameters
    for t in 3...5 {
      try original.step(parameters: &parameters, gradients: TorchRun.gradients(step: t))
      try resumed.step(parameters: &copy, gradients: TorchRun.gradients(step: t))
    }
    #expect(copy == parameters)
    #expect(throws: OptimError.invalidState(reason: "expected buffers [\"momentum_buffer\"] at step 1, got [\"exp_avg\"]")) {
      try resumed.restore(OptimizerState(step: 1, buffers: ["exp_avg": []]))
    }
  }
}
