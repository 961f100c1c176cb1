import Core
import Foundation
import Testing

/// Accuracy of the vectorized transcendental functions against Foundation's `Double` ones.
///
/// The error is measured in ulps of the correctly rounded Float result:
/// |y − f(x)| / ulp(Float(f(x))), with the subnormal ulp for tiny results.
@Suite struct VectorMathTests {
  /// The function under test and its `Double` reference.
  struct Case: CustomTestStringConvertible, Sendable {
    let function: UnaryFunction
    let reference: @Sendable (Double) -> Double
    /// The largest ulp error accepted (what the doc comments promise).
    let bound: Double
    var testDescription: String { function.rawValue }
  }

  static let cases: [Case] = [
    Case(function: .exp, reference: { Foundation.exp($0) }, bound: 1),
    Case(function: .log, reference: { Foundation.log($0) }, bound: 1),
    Case(function: .log1p, reference: { Foundation.log1p($0) }, bound: 2),
    Case(function: .tanh, reference: { Foundation.tanh($0) }, bound: 2),
    Case(function: .sigmoid, reference: { 1 / (1 + Foundation.exp(-$0)) }, bound: 1.5),
    Case(function: .erf, reference: { Foundation.erf($0) }, bound: 2),
    // gelu(−inf) is the limit −0, not −inf·0.
    Case(function: .gelu, reference: { $0 == -.infinity ? -0.0 : 0.5 * $0 * Foundation.erfc(-$0 / 2.0.squareRoot()) },
         bound: 3),
  ]

  /// 10⁵ evenly spaced points over [−20, 20], the magnitudes 2^k·(1 + j/64) for
  /// k in −149…127 with both signs, and the special values.
  static let sweep: [Float] = {
    var xs = (0..<100_000).map { Float(-20 + 40 * Double($0) / 99_999) }
    for k in -149...127 {
      for j in stride(from: 0, to: 64, by: 7) {
        let x = Float(Foundation.pow(2, Double(k)) * (1 + Double(j) / 64))
        if x.isFinite { xs += [x, -x] }
      }
    }
    xs += [0, -0.0, .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
           .leastNonzeroMagnitude, .leastNormalMagnitude, 88.72283, 88.72284, -103.9, -87.3, 1e-30]
    return xs
  }()

  /// The ulp error of `y` against the exact `reference`, or nil if their special-value
  /// classes differ (NaN vs number, infinity vs finite, +0 vs −0).
  static func ulpError(_ y: Float, _ reference: Double) -> Double? {
    let rounded = Float(reference)
    if reference.isNaN || y.isNaN { return reference.isNaN && y.isNaN ? 0 : nil }
    if rounded.isInfinite || y.isInfinite { return rounded == y ? 0 : nil }
    if rounded == 0 && y == 0 { return rounded.sign == y.sign ? 0 : nil }  // signed zeros must match
    let ulp = Double(rounded == 0 ? Float.leastNonzeroMagnitude : rounded.ulp)
    return Swift.abs(Double(y) - reference) / ulp
  }

  static func measure(_ c: Case, _ xs: [Float]) -> (maxUlp: Double, worst: Float, mismatch: Float?) {
    var y = [Float](repeating: 0, count: xs.count)
    xs.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { Elementwise.apply(c.function, x.baseAddress!, $0.baseAddress!, count: xs.count) }
    }
    var maxUlp = 0.0, worst: Float = 0
    for (x, value) in zip(xs, y) {
      guard let error = ulpError(value, c.reference(Double(x))) else { return (.infinity, x, x) }
      if error > maxUlp { (maxUlp, worst) = (error, x) }
    }
    return (maxUlp, worst, nil)
  }

  @Test("max ulp error over the dense sweep and special values", arguments: cases)
  func accuracy(_ c: Case) {
    let (maxUlp, worst, mismatch) = Self.measure(c, Self.sweep)
    print("ulp \(c.function.rawValue): \(String(format: "%.3f", maxUlp)) at x = \(worst)")
    #expect(mismatch == nil, "special value class differs at x = \(String(describing: mismatch))")
    #expect(maxUlp <= c.bound, "\(c.function) max error \(maxUlp) ulp at x = \(worst)")
  }

  @Test("sqrt is correctly rounded (bit-identical to squareRoot) across all binades")
  func sqrtCorrectlyRounded() {
    // Every 8191st bit pattern from 0 to +inf (≈ 260k values, all exponents) plus specials;
    // the full 2³¹-value sweep was run once in release with no mismatch.
    var xs = stride(from: UInt32(0), through: 0x7F80_0000, by: 8191).map { Float(bitPattern: $0) }
    xs += [-0.0, .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 0x1p-80, 0x1.fffffep-81, 2, 3]
    let y = applied(.sqrt, xs)
    let wrong = zip(xs, y).first { $0.squareRoot().bitPattern != $1.bitPattern }
    #expect(wrong == nil, "sqrt(\(wrong?.0 ?? 0)) = \(wrong?.1 ?? 0), expected \(wrong?.0.squareRoot() ?? 0)")
    let specials = applied(.sqrt, [-1, -.infinity, .nan])
    #expect(specials.allSatisfy { $0.isNaN })
  }

  @Test("gelu's derivative is within 4 ulp plus 1e-7 of Φ(x) + x·φ(x)")
  func geluDerivative() {
    let xs = Self.sweep.filter { $0.isFinite }
    var y = [Float](repeating: 0, count: xs.count)
    xs.withUnsafeBufferPointer { x in
      y.withUnsafeMutableBufferPointer { Elementwise.apply(.geluDerivative, x.baseAddress!, $0.baseAddress!, count: xs.count) }
    }
    var worst = (excess: 0.0, x: Float(0))
    for (x, got) in zip(xs, y) {
      let t = Double(x)
      let exact = 0.5 * Foundation.erfc(-t / 2.0.squareRoot()) + t * Foundation.exp(-0.5 * t * t) / (2 * Double.pi).squareRoot()
      let allowed = 4 * Double(Float(exact).ulp) + 1e-7
      let excess = Swift.abs(Double(got) - exact) / allowed
      if !(excess <= worst.excess) { worst = (excess, x) }
    }
    #expect(worst.excess <= 1, "worst at x = \(worst.x)")
    var special: [Float] = [0, 0, 0, 0]
    [Float.infinity, -.infinity, 0, .nan].withUnsafeBufferPointer { x in
      special.withUnsafeMutableBufferPointer { Elementwise.apply(.geluDerivative, x.baseAddress!, $0.baseAddress!, count: 4) }
    }
    #expect(special[0] == 1 && special[1] == 0 && special[2] == 0.5 && special[3].isNaN)
  }
}
