import Core
import Foundation
import Testing
import TestSupport

/// A deterministic 64-bit LCG (Knuth's MMIX constants) for reproducible random inputs.
struct LCG {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  /// A uniform Float in [low, high).
  mutating func next(_ low: Float, _ high: Float) -> Float {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return low + (high - low) * Float(state >> 40) / Float(1 << 24)
  }
  mutating func array(_ count: Int, _ low: Float, _ high: Float) -> [Float] { (0..<count).map { _ in next(low, high) } }
}

/// Runs a unary kernel on an array.
func applied(_ f: UnaryFunction, _ x: [Float]) -> [Float] {
  var y = [Float](repeating: 0, count: x.count)
  x.withUnsafeBufferPointer { xs in
    y.withUnsafeMutableBufferPointer { Elementwise.apply(f, xs.baseAddress!, $0.baseAddress!, count: x.count) }
  }
  return y
}

/// Runs a binary kernel (array-array) on two arrays.
func applied(_ f: BinaryFunction, _ a: [Float], _ b: [Float]) -> [Float] {
  var y = [Float](repeating: 0, count: a.count)
  a.withUnsafeBufferPointer { ap in
    b.withUnsafeBufferPointer { bp in
      y.withUnsafeMutableBufferPointer { Elementwise.apply(f, ap.baseAddress!, bp.baseAddress!, $0.baseAddress!, count: a.count) }
    }
  }
  return y
}

/// The bits of each element, so NaN and −0 compare exactly.
func bitPatterns(_ x: [Float]) -> [UInt32] { x.map(\.bitPattern) }

@Suite struct ElementwiseTests {
  static let sizes = [0, 1, 7, 15, 17, 33, 1000]

  /// Double definitions of every unary function.
  static func reference(_ f: UnaryFunction, _ x: Double) -> Double {
    switch f {
    case .neg: -x
    case .exp: Foundation.exp(x)
    case .log: Foundation.log(x)
    case .log1p: Foundation.log1p(x)
    case .tanh: Foundation.tanh(x)
    case .sigmoid: 1 / (1 + Foundation.exp(-x))
    case .relu: Swift.max(x, 0)
    case .gelu: 0.5 * x * Foundation.erfc(-x / 2.0.squareRoot())
    case .sqrt: x.squareRoot()
    case .abs: Swift.abs(x)
    case .square: x * x
    case .reciprocal: 1 / x
    case .erf: Foundation.erf(x)
    case .geluDerivative: 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    case .step: x > 0 ? 1 : 0
    case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
  }

  // Hand-computed: e^1 = 2.7182817, log 2 = 0.6931472, tanh 0.5 = 0.46211717,
  // σ(0) = 1/(1+1) = 0.5, gelu(1) = 1·Φ(1) = 0.8413447, erf(0.5) = 0.5204999, √2 = 1.4142135,
  // log1p(1e−10) = 1e−10 − 5e−21 ≈ 1e−10, 1/4 = 0.25.
  @Test("hand-computed values", arguments: zip(
    [UnaryFunction.exp, .log, .tanh, .sigmoid, .gelu, .erf, .sqrt, .log1p, .reciprocal, .neg, .relu, .abs, .square,
     .step, .sign],
    [(Float(1), Float(2.7182817)), (2, 0.6931472), (0.5, 0.46211717), (0, 0.5), (1, 0.8413447), (0.5, 0.5204999),
     (2, 1.4142135), (1e-10, 1e-10), (4, 0.25), (3, -3), (-2, 0), (-2.5, 2.5), (-3, 9), (0.1, 1), (-0.1, -1)]))
  func handComputed(_ f: UnaryFunction, _ pair: (Float, Float)) {
    let y = applied(f, [pair.0])
    #expect(isClose(y[0], pair.1, rtol: 2e-7, atol: 0), "\(f)(\(pair.0)) = \(y[0]), expected \(pair.1)")
  }

  @Test("every unary function matches its Double definition at every size", arguments: UnaryFunction.allCases)
  func randomizedUnary(_ f: UnaryFunction) {
    var rng = LCG(seed: 42)
    for n in Self.sizes {
      let low: Float = [.log, .sqrt].contains(f) ? 0.001 : (f == .log1p ? -0.999 : -10)
      let x = rng.array(n, low, 10)
      let expected = x.map { Float(Self.reference(f, Double($0))) }
      let y = applied(f, x)
      // gelu's derivative crosses zero near −0.75, so it gets an absolute floor (its doc's bound).
      let (rtol, atol) = f == .geluDerivative ? (5e-7, 1e-7) : (5e-7, 1e-37)
      #expect(allClose(y, expected, rtol: rtol, atol: atol), "\(f) n=\(n): \(firstMismatch(y, expected, rtol: rtol, atol: atol) ?? "")")
    }
  }

  @Test("a value gives the same result in any position (tail lanes match vector lanes)",
        arguments: UnaryFunction.allCases)
  func positionIndependent(_ f: UnaryFunction) {
    var rng = LCG(seed: 7)
    let values = rng.array(16, -5, 5)
    for value in values {
      // 33 copies: lanes of two full vectors and one element in the padded tail.
      let y = applied(f, [Float](repeating: value, count: 33))
      #expect(Set(bitPatterns(y)).count == 1, "\(f)(\(value)) differs by position")
    }
  }

  @Test("in place: the output may alias the input", arguments: [UnaryFunction.exp, .gelu, .neg, .sqrt])
  func inPlaceUnary(_ f: UnaryFunction) {
    var rng = LCG(seed: 3)
    var x = rng.array(1000, 0.1, 3)
    let expected = applied(f, x)
    x.withUnsafeMutableBufferPointer { Elementwise.apply(f, $0.baseAddress!, $0.baseAddress!, count: 1000) }
    #expect(bitPatterns(x) == bitPatterns(expected))
  }

  @Test("special values")
  func specialValues() {
    let inf = Float.infinity, nan = Float.nan
    #expect(applied(.exp, [-inf, inf, 88.73, -104, 0]) == [0, inf, inf, 0, 1])
    #expect(applied(.exp, [nan])[0].isNaN)
    let logs = applied(.log, [0, -0.0, -1, inf, nan, Float.leastNonzeroMagnitude])
    #expect(logs[0] == -inf && logs[1] == -inf && logs[2].isNaN && logs[3] == inf && logs[4].isNaN)
    // log(2⁻¹⁴⁹) = −149·ln 2 = −103.27893
    #expect(isClose(logs[5], -103.27893, rtol: 1e-7))
    let log1ps = applied(.log1p, [-1, -2, 0, -0.0, 1e-30, inf])
    #expect(log1ps[0] == -inf && log1ps[1].isNaN && log1ps[5] == inf)
    #expect(bitPatterns(Array(log1ps[2...4])) == bitPatterns([0, -0.0, 1e-30]))
    #expect(applied(.tanh, [inf, -inf, 20, -20, 1e-30, -0.0]) == [1, -1, 1, -1, 1e-30, -0.0])
    let sigmoids = applied(.sigmoid, [-100, -inf, inf, 100, nan])
    // σ(−100) = e^−100/(1 + e^−100) = 3.7200760e−44 (subnormal)
    #expect(isClose(Double(sigmoids[0]), 3.7200760e-44, rtol: 0.05, atol: 0) && sigmoids[1] == 0 && sigmoids[2] == 1 && sigmoids[3] == 1)
    #expect(sigmoids[4].isNaN)
    #expect(applied(.erf, [inf, -inf, 0, 5]) == [1, -1, 0, 1])
    #expect(bitPatterns(applied(.gelu, [inf, -inf, -20, 0])) == bitPatterns([inf, -0.0, -0.0, 0]))
    for f in UnaryFunction.allCases where f != .step { #expect(applied(f, [nan])[0].isNaN, "\(f)(NaN)") }
    #expect(applied(.step, [nan]) == [0])
    #expect(bitPatterns(applied(.relu, [-0.0, -inf])) == bitPatterns([0, 0]))
    #expect(applied(.sign, [0, -0.0, -inf, inf]) == [0, 0, -1, 1])
    #expect(bitPatterns(applied(.neg, [0, -0.0, inf])) == bitPatterns([-0.0, 0, -inf]))
    // Odd functions keep the sign of zero.
    for f in [UnaryFunction.tanh, .erf, .gelu, .log1p, .sqrt, .neg] {
      #expect(bitPatterns(applied(f, [0, -0.0])) == bitPatterns(f == .neg ? [-0.0, 0] : [0, -0.0]), "\(f)(±0)")
    }
    #expect(bitPatterns(applied(.abs, [-0.0, -inf])) == bitPatterns([0, inf]))
    #expect(applied(.sqrt, [-1])[0].isNaN)
    #expect(applied(.reciprocal, [0, -0.0]) == [inf, -inf])
  }
}
