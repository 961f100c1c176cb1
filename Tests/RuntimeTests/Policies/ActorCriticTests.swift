import Core
import Graph
import Optim
import Runtime
import Testing
import TestSupport

@Suite struct ActorCriticTests {
  static let cartPole = Result { try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2)) }

  @Test("CleanRL's CartPole agent: 4→64→64 tanh actor and critic, 9,155 parameters")
  func cleanRLShapes() throws {
    let policy = try Self.cartPole.get()
    #expect(policy.parameters.map(\.name) == [
      "actor.0.w", "actor.0.b", "actor.1.w", "actor.1.b", "actor.head.w", "actor.head.b",
      "critic.0.w", "critic.0.b", "critic.1.w", "critic.1.b", "critic.head.w", "critic.head.b",
    ])
    #expect(policy.parameters.map(\.shape) == [[4, 64], [1, 64], [64, 64], [1, 64], [64, 2], [1, 2],
                                               [4, 64], [1, 64], [64, 64], [1, 64], [64, 1], [1, 1]])
    // actor 320 + 4160 + 130, critic 320 + 4160 + 65 (CleanRL's Agent has the same count).
    #expect(policy.parameters.reduce(0) { $0 + $1.shape.count } == 9155)
  }

  /// Σ_k x[i,k]·x[j,k] over rows (`byRows`) or columns of a [r, c] tensor.
  func gram(_ t: Tensor, byRows: Bool) -> [[Double]] {
    let (r, c) = (t.shape[0], t.shape[1])
    let (n, m) = byRows ? (r, c) : (c, r)
    func at(_ a: Int, _ k: Int) -> Double { Double(byRows ? t[flat: a * c + k] : t[flat: k * c + a]) }
    return (0..<n).map { i in (0..<n).map { j in (0..<m).reduce(0) { $0 + at(i, $1) * at(j, $1) } } }
  }

  @Test("orthogonal init as CleanRL: gain² on the orthogonal axis, √2 hidden, 0.01 policy, 1 value; zero biases")
  func orthogonalInit() throws {
    let policy = try Self.cartPole.get()
    var rng = Philox(seed: 1)
    let tensors = try policy.initialParameters(rng: &rng)
    for (parameter, tensor) in zip(policy.parameters, tensors) {
      #expect(tensor.shape == parameter.shape)
      if parameter.name.hasSuffix(".b") {
        #expect(tensor.scalars.allSatisfy { $0 == 0 })
        continue
      }
      let gain: Double = parameter.name == "actor.head.w" ? 0.01 : parameter.name == "critic.head.w" ? 1 : 2.0.squareRoot()
      // torch's [fanOut, fanIn] matrix is the transpose; its shorter side is orthogonal.
      let (fanIn, fanOut) = (parameter.shape[0], parameter.shape[1])
      let g = gram(tensor, byRows: fanIn <= fanOut)
      for i in g.indices {
        for j in g.indices {
          #expect(isClose(g[i][j], i == j ? gain * gain : 0, rtol: 1e-4, atol: 1e-5 * gain * gain), "\(parameter.name)[\(i),\(j)]")
        }
      }
    }
  }

  @Test("a Gaussian head adds a log std [1, d] initialized to initialLogStd; a shared trunk names its heads")
  func gaussianAndShared() throws {
    let policy = try ActorCritic(observationSize: 3, actionSpace: .box(low: [-2, -1], high: [2, 1]),
                                 hiddenSizes: [8], activation: .relu, trunk: .shared, initialLogStd: -0.5)
    #expect(policy.parameters.map(\.name) == ["trunk.0.w", "trunk.0.b", "policy.w", "policy.b", "value.w", "value.b", "log_std"])
    var rng = Philox(seed: 2)
    let tensors = try policy.initialParameters(rng: &rng)
    #expect(tensors.last?.scalars == [-0.5, -0.5])
  }

  @Test("impossible configurations are errors")
  func invalid() {
    #expect(throws: RuntimeError.self) { try ActorCritic(observationSize: 0, actionSpace: .discrete(count: 2)) }
    #expect(throws: RuntimeError.self) { try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 0)) }
    #expect(throws: RuntimeError.self) { try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2), hiddenSizes: [64, 0]) }
  }
}
