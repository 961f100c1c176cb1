import Core
import Optim
import Testing
import TestSupport

@Suite struct GradientClippingTests {
  @Test("a 3-4-5 gradient clipped to norm 1, by hand")
  func handClip() throws {
    // norm = √(3² + 4²) = 5; scale = 1 / (5 + 1e-6) = 0.19999996; g = [0.59999988, 0.79999984].
    var gradients = [Tensor(shape: [2], scalars: [3, 4])]
    let norm = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
    #expect(norm == 5)
    #expect(allClose(gradients[0].scalars, [0.59999988, 0.79999984], rtol: 1e-7, atol: 0))
  }

  @Test("below the threshold the gradients are untouched and the norm is returned")
  func belowThreshold() throws {
    // torch.nn.utils.clip_grad_norm_(max_norm=100) on the same gradients returns 2.6867733.
    var gradients = TorchRun.gradients(step: 2)
    let before = gradients
    let norm = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: 100)
    #expect(isClose(norm, TorchRun.clipNorm, rtol: 1e-6))
    #expect(gradients == before)
    #expect(isClose(GradientClipping.globalNorm(gradients), TorchRun.clipNorm, rtol: 1e-6))
  }

  @Test("matches torch.nn.utils.clip_grad_norm_ above the threshold")
  func aboveThreshold() throws {
    var gradients = TorchRun.gradients(step: 2)
    let norm = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
    #expect(isClose(norm, TorchRun.clipNorm, rtol: 1e-6))
    for (got, want) in zip(gradients, TorchRun.clippedToOne) {
      #expect(allClose(got.scalars, want, rtol: 1e-6, atol: 1e-7), "\(firstMismatch(got.scalars, want) ?? "")")
    }
    #expect(isClose(GradientClipping.globalNorm(gradients), 1, rtol: 1e-5))
  }

  @Test("a non-finite norm is returned and the gradients are left alone")
  func nonFinite() throws {
    var gradients = [Tensor(shape: [2], scalars: [1, .infinity]), Tensor(shape: [1], scalars: [2])]
    let before = gradients
    let norm = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
    #expect(norm == .infinity)
    #expect(gradients == before)
    var withNaN = [Tensor(shape: [1], scalars: [.nan])]
    #expect(try GradientClipping.clipGlobalNorm(&withNaN, maxNorm: 1).isNaN)
  }

  @Test("rejects a maximum norm that is not positive", arguments: [0, -1, Float.nan])
  func invalidMaxNorm(maxNorm: Float) {
    var gradients = [Tensor(shape: [1], scalars: [1])]
    #expect(throws: OptimError.self) { try GradientClipping.clipGlobalNorm(&gradients, maxNorm: maxNorm) }
    #expect(gradients[0].scalars == [1])
  }
}
