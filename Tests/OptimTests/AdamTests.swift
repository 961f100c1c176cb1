import Core
import Optim
import Testing
import TestSupport

/// Compares parameters and the named state buffers with a torch run. After 5 steps we agree to
/// 1–2 ulp (torch's vectorized `add(alpha:)` and `lerp_` use FMA, we do not), hence rtol 1e-6.
func expectMatches(_ parameters: [Tensor], _ state: OptimizerState, _ expected: TorchRun,
                   rtol: Double = 1e-6, atol: Double = 1e-8, sourceLocation: SourceLocation = #_sourceLocation) {
  for (got, want) in zip(parameters, expected.parameters) {
    #expect(allClose(got.scalars, want, rtol: rtol, atol: atol), "\(firstMismatch(got.scalars, want, rtol: rtol, atol: atol) ?? "")",
            sourceLocation: sourceLocation)
  }
  for (name, tensors) in expected.buffers {
    let got = state.buffers[name] ?? []
    #expect(got.count == tensors.count, "buffer \(name)", sourceLocation: sourceLocation)
    for (tensor, want) in zip(got, tensors) {
      #expect(allClose(tensor.scalars, want, rtol: rtol, atol: atol),
              "\(name): \(firstMismatch(tensor.scalars, want, rtol: rtol, atol: atol) ?? "")", sourceLocation: sourceLocation)
    }
  }
}

@Suite struct AdamTests {
  @Test("a constant gradient moves each weight by lr per step, by hand")
  func handConstantGradient() throws {
    // g constant ⇒ m_t = (1 − β1ᵗ)·g, v_t = (1 − β2ᵗ)·g², so m̂ = g, v̂ = g² and
    // p ← p − lr·g/(|g| + eps) = p − 0.1·sign(g) (eps = 1e-8 moves it by < 1e-8 relative):
    //   p₀ = [1, −1], g = [0.5, −2]: p₁ = [0.9, −0.9], p₂ = [0.8, −0.8], p₃ = [0.7, −0.7]
    var optimizer = try Adam(learningRate: 0.1)
    var parameters = [Tensor(shape: [2], scalars: [1, -1])]
    let gradient = Tensor(shape: [2], scalars: [0.5, -2])
    for t in 1...3 {
      try optimizer.step(parameters: &parameters, gradients: [gradient])
      let expected = Float(1) - 0.1 * Float(t)
      #expect(allClose(parameters[0].scalars, [expected, -expected]), "step \(t): \(parameters[0].scalars)")
    }
    // m₃ = (1 − 0.9³)·g = 0.271·g; v₃ = (1 − 0.999³)·g² = 0.002997001·g².
    #expect(allClose(optimizer.state.buffers[Adam.firstMomentName]?[0].scalars ?? [], [0.1355, -0.542]))
    #expect(allClose(optimizer.state.buffers[Adam.secondMomentName]?[0].scalars ?? [], [0.00074925025, 0.011988004]))
  }

  @Test("L2 weight decay enters the gradient, by hand")
  func handWeightDecay() throws {
    // lr 0.1, λ 1, p₀ = [2], g = [0] every step, so the effective gradient is g + λp = p:
    //   t=1: g' = 2                 m̂ = 2, v̂ = 4           p = 2 − 0.1·2/2          = 1.9
    //   t=2: g' = 1.9  m = 0.9·0.2 + 0.19 = 0.37, m̂ = 0.37/0.19 = 1.947368
    //        v = 0.999·0.004 + 0.001·3.61 = 0.007606, v̂ = 0.007606/0.001999 = 3.804902
    //        p = 1.9 − 0.1·1.947368/1.950616 = 1.800166
    //   t=3: g' = 1.800166  m = 0.9·0.37 + 0.1800166 = 0.5130166, m̂ = 0.5130166/0.271 = 1.893050
    //        v = 0.999·0.007606 + 0.001·3.240598 = 0.010839004, v̂ = /0.002997001 = 3.616617
    //        p = 1.800166 − 0.1·1.893050/1.901740 = 1.700623
    var optimizer = try Adam(learningRate: 0.1, weightDecay: 1)
    var parameters = [Tensor(shape: [1], scalars: [2])]
    let expected: [Float] = [1.9, 1.800166, 1.700623]
    for t in 0..<3 {
      try optimizer.step(parameters: &parameters, gradients: [Tensor(zeros: [1])])
      #expect(isClose(parameters[0].scalar, expected[t]), "step \(t + 1): \(parameters[0].scalar)")
    }
  }

  @Test("matches torch.optim.Adam with L2 weight decay over 5 steps")
  func matchesTorch() throws {
    // torch.optim.Adam(lr=0.01, weight_decay=0.1), default betas (0.9, 0.999), eps 1e-8.
    var optimizer = try Adam(learningRate: 0.01, weightDecay: 0.1)
    let parameters = try TorchRun.run(&optimizer)
    expectMatches(parameters, optimizer.state, TorchRun.adamL2)
    #expect(optimizer.state.step == 5)
  }

  @Test("a restored state continues exactly like the original")
  func restore() throws {
    var original = try Adam(learningRate: 0.01, weightDecay: 0.1)
    var parameters = TorchRun.initialParameters()
    for t in 1...3 { try original.step(parameters: &parameters, gradients: TorchRun.gradients(step: t)) }
    var resumed = try Adam(learningRate: 0.01, weightDecay: 0.1)
    try resumed.restore(original.state)
    #expect(resumed.stepCount == 3)
    for t in 4...5 { try resumed.step(parameters: &parameters, gradients: TorchRun.gradients(step: t)) }
    expectMatches(parameters, resumed.state, TorchRun.adamL2)
    #expect(throws: OptimError.invalidState(reason: "buffers hold different numbers of tensors: [1, 2]")) {
      var state = original.state
      state.buffers[Adam.firstMomentName]?.removeLast()
      try resumed.restore(state)
    }
  }

  @Test("state is created on the first step: one zero-started buffer per parameter, of its shape")
  func lazyState() throws {
    var optimizer = try Adam()
    #expect(optimizer.state == OptimizerState())
    var parameters = TorchRun.initialParameters()
    try optimizer.step(parameters: &parameters, gradients: TorchRun.gradients(step: 1))
    let state = optimizer.state
    #expect(state.step == 1)
    #expect(Set(state.buffers.keys) == [Adam.firstMomentName, Adam.secondMomentName])
    #expect(state.buffers[Adam.firstMomentName]?.map(\.shape) == TorchRun.shapes)
    // m₁ = (1 − β1)·g₁ from zero.
    let g = TorchRun.gradients(step: 1)[1].scalars
    #expect(allClose(state.buffers[Adam.firstMomentName]?[1].scalars ?? [], g.map { 0.1 * $0 }))
  }

  @Test("rejects β outside [0, 1) and a negative eps")
  func hyperparameters() {
    #expect(throws: OptimError.invalidHyperparameter(name: "beta2", value: 1, reason: "must be in [0, 1)")) {
      try Adam(betas: (0.9, 1))
    }
    #expect(throws: OptimError.invalidHyperparameter(name: "eps", value: -1, reason: "must be a finite number ≥ 0.0")) {
      try Adam(eps: -1)
    }
  }
}
