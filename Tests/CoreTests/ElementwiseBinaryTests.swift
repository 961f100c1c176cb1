import Core
import Foundation
import Testing
import TestSupport

@Suite struct ElementwiseBinaryTests {
  // 6 + 3 = 9, 6 − 3 = 3, 6·3 = 18, 6/3 = 2, 6³ = 216, min 3, max 6, then the comparisons of 6 with 3.
  @Test("hand-computed values for 6 ∘ 3", arguments: zip(BinaryFunction.allCases,
                                                         [Float(9), 3, 18, 2, 216, 3, 6, 0, 0, 1, 1, 0, 1]))
  func handComputed(_ f: BinaryFunction, _ expected: Float) {
    #expect(applied(f, [6], [3]) == [expected])
  }

  @Test("all three operand forms agree with evaluate at every size", arguments: BinaryFunction.allCases)
  func randomized(_ f: BinaryFunction) {
    var rng = LCG(seed: 11)
    for n in ElementwiseTests.sizes {
      let a = rng.array(n, f == .pow ? 0.1 : -4, 4)
      // Ties exercise the comparisons' equal case.
      var b = rng.array(n, -4, 4)
      for i in stride(from: 0, to: n, by: 5) { b[i] = a[i] }
      let scalar = rng.next(-4, 4)
      let expected = zip(a, b).map { Elementwise.evaluate(f, $0, $1) }
      func agree(_ y: [Float], _ reference: [Float]) -> Bool { bitPatterns(y) == bitPatterns(reference) }
      #expect(agree(applied(f, a, b), expected), "\(f) n=\(n)")
      var right = [Float](repeating: 0, count: n), left = right
      a.withUnsafeBufferPointer { ap in
        right.withUnsafeMutableBufferPointer { Elementwise.apply(f, ap.baseAddress!, scalar: scalar, $0.baseAddress!, count: n) }
        left.withUnsafeMutableBufferPointer { Elementwise.apply(f, scalar: scalar, ap.baseAddress!, $0.baseAddress!, count: n) }
      }
      #expect(agree(right, a.map { Elementwise.evaluate(f, $0, scalar) }), "\(f) array-scalar n=\(n)")
      #expect(agree(left, a.map { Elementwise.evaluate(f, scalar, $0) }), "\(f) scalar-array n=\(n)")
    }
  }

  @Test("pow with a scalar exponent 2, −1, 1 or 0 agrees bit for bit with powf", arguments: [Float(2), -1, 1, 0])
  func powFastPaths(exponent: Float) {
    var rng = LCG(seed: 21)
    let x = rng.array(100, -50, 50) + [0, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, 1e30, -1e-30]
    var y = [Float](repeating: 0, count: x.count)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer { Elementwise.apply(.pow, xs.baseAddress!, scalar: exponent, $0.baseAddress!, count: x.count) }
    }
    let expected = x.map { Foundation.pow($0, exponent) }
    for i in x.indices where y[i].bitPattern != expected[i].bitPattern && !(y[i].isNaN && expected[i].isNaN) {
      Issue.record("\(x[i])^\(exponent) = \(y[i]), powf gives \(expected[i])")
    }
  }

  @Test("pow's special cases match C's pow")
  func powSpecials() {
    let values: [Float] = [0, -0.0, 1, -1, 2, -2, 0.5, -0.5, 3, -3, 2.5, -2.5, .infinity, -.infinity, .nan, 0x1p-140, 1e30, -1e-30]
    var a: [Float] = [], b: [Float] = []
    for x in values { for y in values { a.append(x); b.append(y) } }
    let y = applied(.pow, a, b)
    for i in a.indices {
      let expected = Foundation.pow(a[i], b[i])
      let agrees = y[i].bitPattern == expected.bitPattern || (y[i].isNaN && expected.isNaN)
      #expect(agrees, "pow(\(a[i]), \(b[i])) = \(y[i]), expected \(expected)")
    }
  }

  @Test("min and max propagate NaN and keep evaluate's signed zeros")
  func minMaxSpecials() {
    let a: [Float] = [.nan, 1, 0, -0.0, .infinity], b: [Float] = [1, .nan, -0.0, 0, 2]
    for f in [BinaryFunction.min, .max] {
      #expect(bitPatterns(applied(f, a, b)) == bitPatterns(zip(a, b).map { Elementwise.evaluate(f, $0, $1) }))
    }
    #expect(applied(.less, [.nan], [1]) == [0] && applied(.notEqual, [.nan], [.nan]) == [1])
  }

  @Test("in place: the output may alias either input")
  func inPlace() {
    var rng = LCG(seed: 5)
    var a = rng.array(33, -1, 1)
    let b = rng.array(33, -1, 1)
    let expected = zip(a, b).map { $0 * $1 }
    b.withUnsafeBufferPointer { bp in
      a.withUnsafeMutableBufferPointer { Elementwise.apply(.mul, UnsafePointer($0.baseAddress!), bp.baseAddress!, $0.baseAddress!, count: 33) }
    }
    #expect(a == expected)
  }

  @Test("select picks a where the condition is nonzero (NaN counts as true)")
  func select() {
    for n in ElementwiseTests.sizes {
      let condition = (0..<n).map { Float([0, 1, -0.0, .nan, 2][$0 % 5]) }
      let a = (0..<n).map(Float.init), b = (0..<n).map { -Float($0) - 1 }
      var out = [Float](repeating: 0, count: n)
      condition.withUnsafeBufferPointer { c in a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in
        out.withUnsafeMutableBufferPointer { Elementwise.select(c.baseAddress!, ap.baseAddress!, bp.baseAddress!, $0.baseAddress!, count: n) }
      } } }
      #expect(out == (0..<n).map { condition[$0] != 0 ? a[$0] : b[$0] })
    }
  }

  @Test("tensor applying: equal shapes, rank-0 on either side, and no silent broadcast")
  func tensorLevel() throws {
    let x = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
    #expect(try x.applying(.sub, x).scalars == [0, 0, 0, 0])
    #expect(try x.applying(.div, Tensor(scalar: 2)).scalars == [0.5, 1, 1.5, 2])
    #expect(try Tensor(scalar: 12).applying(.div, x).scalars == [12, 6, 4, 3])
    #expect(try Tensor(scalar: 12).applying(.div, x).shape == [2, 2])
    #expect(x.applying(.square).scalars == [1, 4, 9, 16])
    #expect(throws: CoreError.shapeMismatch(op: "add", shapes: [[2, 2], [2]],
                                            reason: "elementwise operands need equal shapes or a rank-0 side")) {
      try x.applying(.add, Tensor(shape: [2], scalars: [1, 2]))
    }
    #expect(throws: CoreError.self) { try x.applying(.add, Tensor(shape: [1], scalars: [1])) }
    let chosen = try Tensor.select(Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), x, Tensor(scalar: -1))
    #expect(chosen.scalars == [1, -1, -1, 4])
    #expect(throws: CoreError.self) { try Tensor.select(x, x, Tensor(shape: [4], scalars: [0, 0, 0, 0])) }
  }
}
