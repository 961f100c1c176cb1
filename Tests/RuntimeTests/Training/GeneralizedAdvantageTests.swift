import Runtime
import Testing

@Suite struct GeneralizedAdvantageTests {
  /// One env, 4 steps, γ = 0.5, λ = 0.5 (γλ = 0.25), V = 1 everywhere, rewards 1.
  func case4(terminated: [Bool], truncated: [Bool]) -> (advantages: [Float], returns: [Float]) {
    GeneralizedAdvantage.compute(rewards: [1, 1, 1, 1], values: [1, 1, 1, 1], terminated: terminated, truncated: truncated,
                                 truncationValues: [0, 3, 0, 0], nextValues: [2], envs: 1, gamma: 0.5, lambda: 0.5)
  }

  @Test("no episode ends: the last step bootstraps from the next observation's value")
  func noEnd() {
    let (a, r) = case4(terminated: [false, false, false, false], truncated: [false, false, false, false])
    // δ = 1 + 0.5·1 − 1 = 0.5 for t < 3, δ3 = 1 + 0.5·2 − 1 = 1.
    // A3 = 1, A2 = 0.5 + 0.25 = 0.75, A1 = 0.5 + 0.1875 = 0.6875, A0 = 0.5 + 0.171875 = 0.671875.
    #expect(a == [0.671875, 0.6875, 0.75, 1])
    #expect(r == [1.671875, 1.6875, 1.75, 2])
  }

  @Test("termination at t = 1 bootstraps 0 and cuts the trace")
  func termination() {
    let (a, _) = case4(terminated: [false, true, false, false], truncated: [false, false, false, false])
    // δ1 = 1 + 0 − 1 = 0, A1 = 0; A0 = 0.5 + 0.25·0 = 0.5; A2 = 0.75, A3 = 1 as before.
    #expect(a == [0.5, 0, 0.75, 1])
  }

  @Test("truncation at t = 1 bootstraps from V(final observation) = 3 and cuts the trace")
  func truncation() {
    let (a, _) = case4(terminated: [false, false, false, false], truncated: [false, true, false, false])
    // δ1 = 1 + 0.5·3 − 1 = 1.5, A1 = 1.5 (no carry from t = 2); A0 = 0.5 + 0.25·1.5 = 0.875.
    #expect(a == [0.875, 1.5, 0.75, 1])
  }

  @Test("two envs interleaved step-major are independent")
  func twoEnvs() {
    let (a, _) = GeneralizedAdvantage.compute(rewards: [1, 0, 1, 0], values: [0, 0, 0, 0], terminated: [false, false, true, false],
                                              truncated: [false, false, false, false], truncationValues: [0, 0, 0, 0],
                                              nextValues: [5, 4], envs: 2, gamma: 0.5, lambda: 1)
    // env 0: A1 = 1 (terminated), A0 = 1 + 0.5·1 = 1.5; env 1: A1 = 0.5·4 = 2, A0 = 0 + 0.5·2 = 1.
    #expect(a == [1.5, 1, 1, 2])
  }
}
