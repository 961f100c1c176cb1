import Foundation
import Runtime
import Testing
import TestSupport

/// `AdaptiveKLController`: Ziegler et al.'s multiplicative KL coefficient controller.
@Suite struct AdaptiveKLControllerTests {
  // TRL/OpenRLHF AdaptiveKLController(0.2, target 6, horizon 10000), update(current, n_steps)
  // re-typed in Python (np.clip as min/max), printed with repr:
  //   (3.0, 256):   e = −0.2 (clipped from −0.5), ×(1 − 0.00512)   → 0.19897600000000001
  //   (6.6, 256):   e = 0.1,                      ×(1 + 0.00256)   → 0.19948537855999998
  //   (100, 512):   e = 0.2 (clipped),            ×(1 + 0.01024)   → 0.2015281088364544
  //   (0, 1024):    e = −0.2,                     ×(1 − 0.02048)   → 0.19740081316748379
  //   (6.0, 256):   e = 0, unchanged                               → 0.19740081316748379
  @Test("matches TRL's AdaptiveKLController step by step")
  func matchesTRL() {
    var controller = AdaptiveKLController(initial: 0.2, target: 6, horizon: 10000)
    let steps: [(kl: Double, samples: Int, expected: Double)] = [
      (3.0, 256, 0.19897600000000001), (6.6, 256, 0.19948537855999998), (100, 512, 0.2015281088364544),
      (0, 1024, 0.19740081316748379), (6.0, 256, 0.19740081316748379),
    ]
    for step in steps {
      controller.update(kl: step.kl, samples: step.samples)
      #expect(isClose(controller.coefficient, step.expected, rtol: 1e-15), "after \(step)")
    }
  }

  @Test("a non-finite KL leaves the coefficient; the state round-trips through JSON")
  func edges() throws {
    var controller = AdaptiveKLController(initial: 0.05, target: 0.1, horizon: 100)
    controller.update(kl: .nan, samples: 10)
    controller.update(kl: .infinity, samples: 10)
    #expect(controller.coefficient == 0.05)
    controller.update(kl: 0.3, samples: 50)  // e = 0.2: ×1.1
    #expect(isClose(controller.coefficient, 0.055, rtol: 1e-15))
    let decoded = try JSONDecoder().decode(AdaptiveKLController.self, from: JSONEncoder().encode(controller))
    #expect(decoded == controller)
  }
}
