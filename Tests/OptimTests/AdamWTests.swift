import Core
import Optim
import Testing
import TestSupport

@Suite struct AdamWTests {
  @Test("decoupled decay shrinks the weights before the Adam step, by hand")
  func handDecoupledDecay() throws {
    // lr 0.1, λ 0.5, g = [0.5, −2] constant, so the Adam step is −0.1·sign(g) (see AdamTests)
    // and each step first multiplies p by 1 − 0.1·0.5 = 0.95:
    //   p₀ = [1, −1]
    //   t=1: 0.95·1 − 0.1      = 0.85      p = [0.85, −0.85]
    //   t=2: 0.95·0.85 − 0.1   = 0.7075    p = [0.7075, −0.7075]
    //   t=3: 0.95·0.7075 − 0.1 = 0.572125  p = [0.572125, −0.572125]
    var optimizer = try AdamW(learningRate: 0.1, weightDecay: 0.5)
    var parameters = [Tensor(shape: [2], scalars: [1, -1])]
    let gradient = Tensor(shape: [2], scalars: [0.5, -2])
    let expected: [Float] = [0.85, 0.7075, 0.572125]
    for t in 0..<3 {
      try optimizer.step(parameters: &parameters, gradients: [gradient])
      #expect(allClose(parameters[0].scalars, [expected[t], -expected[t]]), "step \(t + 1): \(parameters[0].scalars)")
    }
  }

  @Test("the default weight decay is torch's 0.01")
  func defaults() throws {
    let optimizer = try AdamW()
    #expect(optimizer.weightDecay == 0.01 && optimizer.learningRate == 1e-3)
    #expect(optimizer.betas == (0.9, 0.999) && optimizer.eps == 1e-8)
  }

  @Test("matches torch.optim.AdamW over 5 steps")
  func matchesTorch() throws {
    // torch.optim.AdamW(lr=0.01): betas (0.9, 0.999), eps 1e-8, weight_decay 0.01.
    var optimizer = try AdamW(learningRate: 0.01)
    let parameters = try TorchRun.run(&optimizer)
    expectMatches(parameters, optimizer.state, TorchRun.adamW)
  }

  @Test("matches torch.optim.AdamW with β1 0.4 and a changing learning rate over 5 steps")
  func matchesTorchScheduled() throws {
    // torch.optim.AdamW(lr=0.02, betas=(0.4, 0.95), eps=1e-6, weight_decay=0.1), with
    // param_groups[0]["lr"] set to 0.02, 0.016, 0.012, 0.008, 0.004 before steps 1…5.
    // β1 < 0.5 takes torch's other lerp branch: m = g − (g − m)·β1.
    var optimizer = try AdamW(learningRate: 0.02, betas: (0.4, 0.95), eps: 1e-6, weightDecay: 0.1)
    let parameters = try TorchRun.run(&optimizer, learningRates: [0.02, 0.016, 0.012, 0.008, 0.004])
    expectMatches(parameters, optimizer.state, TorchRun.adamWScheduled)
  }
}
