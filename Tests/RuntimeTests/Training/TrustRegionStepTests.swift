import Foundation
import Core
import Graph
import Testing
import TestSupport

@testable import Runtime

@Suite struct TrustRegionStepTests {
  /// The explicit Fisher of a tiny policy, F = (1/B)·Σ_r J_rᵀ·M_r·J_r with J_r = ∂head_r/∂θ by
  /// central differences (Double reference interpreter) and M_r = diag(p) − p·pᵀ (categorical)
  /// or diag(1/σ²) on the means plus 2 on each log std (Gaussian), applied to v.
  func explicitFisherProduct(_ policy: ActorCritic, parameters: [[Double]], observations: DoubleTensor, v: [[Double]]) throws -> [[Double]] {
    let batch = observations.shape[0], width = policy.actionSpace.width
    let headGraph = try TrustRegionStep.headGraph(policy, batch)
    func head(_ theta: [[Double]]) throws -> [Double] {
      var inputs = ["observations": observations]
      for (parameter, values) in zip(policy.parameters, theta) { inputs[parameter.name] = DoubleTensor(shape: parameter.shape, values: values) }
      return try ReferenceInterpreter.evaluate(headGraph, inputs: inputs)[0].values
    }
    // J·v by central differences along v.
    let step = 1e-6
    let plus = zip(parameters, v).map { zip($0, $1).map { $0 + step * $1 } }
    let minus = zip(parameters, v).map { zip($0, $1).map { $0 - step * $1 } }
    let (up, down, center) = (try head(plus), try head(minus), try head(parameters))
    let jv = zip(up, down).map { ($0 - $1) / (2 * step) }
    // u = M·J·v per row, then Jᵀu by central differences of Σ u·head along each coordinate.
    var u = [Double](repeating: 0, count: batch * width)
    let isGaussian = policy.isGaussian
    for r in 0..<batch {
      let row = r * width
      if isGaussian {
        let logStd = parameters[parameters.count - 1]
        for k in 0..<width { u[row + k] = jv[row + k] / Foundation.exp(2 * logStd[k]) / Double(batch) }
      } else {
        let logits = Array(center[row..<(row + width)])
        let top = logits.max()!
        let e = logits.map { Foundation.exp($0 - top) }
        let p = e.map { $0 / e.reduce(0, +) }
        let pjv = zip(p, jv[row..<(row + width)]).map(*).reduce(0, +)
        for k in 0..<width { u[row + k] = (p[k] * jv[row + k] - p[k] * pjv) / Double(batch) }
      }
    }
    var result = v.map { [Double](repeating: 0, count: $0.count) }
    for k in parameters.indices {
      for i in parameters[k].indices {
        var a = parameters, b = parameters
        a[k][i] += step
        b[k][i] -= step
        let (ha, hb) = (try head(a), try head(b))
        result[k][i] = zip(u, zip(ha, hb)).map { $0 * ($1.0 - $1.1) / (2 * step) }.reduce(0, +)
      }
    }
    if isGaussian { result[result.count - 1] = result[result.count - 1].indices.map { result[result.count - 1][$0] + 2 * v[v.count - 1][$0] } }
    return result
  }

  @Test("F·v from differentiating the KL's gradient graph matches the explicit Fisher", arguments: [
    ActionSpace.discrete(count: 3), .box(low: [-2, -2], high: [2, 2]),
  ])
  func fisher(actionSpace: ActionSpace) throws {
    let policy = try ActorCritic(observationSize: 3, actionSpace: actionSpace, hiddenSizes: [4], initialLogStd: -0.3)
    let batch = 5
    var random = TestRandom(seed: 11)
    let parameters = policy.parameters.map { random.uniforms($0.shape.count, -0.8, 0.8) }
    let v = policy.parameters.map { random.uniforms($0.shape.count, -1, 1) }
    let observations = DoubleTensor(shape: [batch, 3], values: random.uniforms(batch * 3, -1, 1))
    let expected = try explicitFisherProduct(policy, parameters: parameters, observations: observations, v: v)
    #expect(expected.joined().contains { Swift.abs($0) > 1e-3 })

    let graph = try TrustRegionStep.fisherGraph(policy, batch)
    let headGraph = try TrustRegionStep.headGraph(policy, batch)
    var inputs = ["observations": observations]
    for (parameter, values) in zip(policy.parameters, parameters) { inputs[parameter.name] = DoubleTensor(shape: parameter.shape, values: values) }
    inputs["old_head"] = try ReferenceInterpreter.evaluate(headGraph, inputs: inputs)[0]
    if policy.isGaussian { inputs["old_log_std"] = inputs["log_std"] }
    for (parameter, values) in zip(policy.parameters, v) { inputs["tangent." + parameter.name] = DoubleTensor(shape: parameter.shape, values: values) }
    let outputs = try ReferenceInterpreter.evaluate(graph, inputs: inputs)
    let got = outputs.suffix(policy.parameters.count).map(\.values)
    for (k, parameter) in policy.parameters.enumerated() {
      for i in got[k].indices {
        #expect(isClose(got[k][i], expected[k][i], rtol: 1e-4, atol: 1e-7), "\(parameter.name)[\(i)]")
      }
    }
    // The critic's parameters do not enter the policy's KL.
    #expect(got[policy.parameters.firstIndex { $0.name == "critic.head.w" }!].allSatisfy { $0 == 0 })
  }

  // A = [[4, 1], [1, 3]], b = [1, 2]: x = A⁻¹b = [1/11, 7/11], reached in 2 iterations.
  @Test("conjugate gradient solves a 2 × 2 system in two iterations")
  func conjugateGradient() throws {
    let x = try TrustRegionStep.conjugateGradient({ (v: [[Float]]) throws(RuntimeError) -> [[Float]] in
      [[4 * v[0][0] + v[1][0]], [v[0][0] + 3 * v[1][0]]]
    }, [[1], [2]], iterations: 2)
    #expect(isClose(Double(x[0][0]), 1.0 / 11, rtol: 1e-5))
    #expect(isClose(Double(x[1][0]), 7.0 / 11, rtol: 1e-5))
  }
}
