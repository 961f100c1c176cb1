import Core
import Foundation
import Runtime
import TestSupport

/// The transformer written as plain loops in `Double` on one unpadded sequence: the slow,
/// independent reference the program and the sampler are tested against.
struct TransformerReference {
  let configuration: TransformerConfiguration
  let tensors: [String: [Double]]

  init(_ parameters: TransformerParameters) {
    configuration = parameters.configuration
    tensors = Dictionary(uniqueKeysWithValues: zip(parameters.names, parameters.tensors.map { $0.scalars.map(Double.init) }))
  }

  /// Small random parameters (std `scale`, LayerNorm gains near 1) for a configuration.
  static func randomParameters(_ c: TransformerConfiguration, scale: Double, seed: UInt64) throws -> TransformerParameters {
    var random = TestRandom(seed: seed)
    let tensors = TransformerParameters.layout(of: c).map { name, shape in
      let values = random.uniforms(shape.count, -scale * 1.7, scale * 1.7).map { name.hasSuffix(".g") ? 1 + $0 / 4 : $0 }
      return Tensor(shape: shape, scalars: values.map(Float.init))
    }
    return try TransformerParameters(c, tensors: tensors)
  }

  /// For each position of `tokens` (positions 0, 1, …): the log-softmax over the vocabulary
  /// of the next token, and the value head's output (0 without the head).
  func run(_ tokens: [Int32]) -> (logProbs: [[Double]], values: [Double]) {
    let c = configuration
    let (n, d, hd) = (tokens.count, c.width, c.headWidth)
    func p(_ name: String) -> [Double] { tensors[name]! }
    func layerNorm(_ x: [Double], _ name: String) -> [Double] {
      let mean = x.reduce(0, +) / Double(d)
      let variance = x.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(d)
      let (g, b) = (p("\(name).g"), p("\(name).b"))
      return (0..<d).map { (x[$0] - mean) / (variance + 1e-5).squareRoot() * g[$0] + b[$0] }
    }
    func linear(_ x: [Double], _ name: String, _ fanOut: Int) -> [Double] {
      let (w, b) = (p("\(name).w"), p("\(name).b"))
      var y = b
      for i in 0..<x.count { for j in 0..<fanOut { y[j] += x[i] * w[i * fanOut + j] } }
      return y
    }
    let tok = p("tok_emb"), pos = p("pos_emb")
    var x = (0..<n).map { t in (0..<d).map { tok[Int(tokens[t]) * d + $0] + pos[t * d + $0] } }
    for l in 0..<c.layers {
      let qkv = x.map { linear(layerNorm($0, "l\(l).ln1"), "l\(l).qkv", 3 * d) }
      var mixed = [[Double]](repeating: [Double](repeating: 0, count: d), count: n)
      for h in 0..<c.heads {
        for i in 0..<n {
          let scores = (0...i).map { j -> Double in
            var dot = 0.0
            for k in 0..<hd { dot += qkv[i][h * hd + k] * qkv[j][d + h * hd + k] }
            return dot / Double(hd).squareRoot()
          }
          let top = scores.max()!
          let weights = scores.map { Foundation.exp($0 - top) }
          let total = weights.reduce(0, +)
          for j in 0...i { for k in 0..<hd { mixed[i][h * hd + k] += weights[j] / total * qkv[j][2 * d + h * hd + k] } }
        }
      }
      for i in 0..<n {
        let attended = linear(mixed[i], "l\(l).proj", d)
        x[i] = zip(x[i], attended).map(+)
        let hidden = linear(layerNorm(x[i], "l\(l).ln2"), "l\(l).fc", 4 * d).map { (u: Double) -> Double in
          0.5 * u * (1 + erf(u / 2.0.squareRoot()))
        }
        x[i] = zip(x[i], linear(hidden, "l\(l).out", d)).map(+)
      }
    }
    var logProbs: [[Double]] = [], values: [Double] = []
    for i in 0..<n {
      let h = layerNorm(x[i], "ln_f")
      let logits = (0..<c.vocabulary).map { v -> Double in
        var dot = 0.0
        for k in 0..<d { dot += h[k] * tok[v * d + k] }
        return dot
      }
      let top = logits.max()!
      let logTotal = top + Foundation.log(logits.map { Foundation.exp($0 - top) }.reduce(0, +))
      logProbs.append(logits.map { $0 - logTotal })
      var value = c.valueHead ? p("value.b")[0] : 0
      if c.valueHead { for k in 0..<d { value += h[k] * p("value.w")[k] } }
      values.append(value)
    }
    return (logProbs, values)
  }
}
