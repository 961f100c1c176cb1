import Core
import Foundation
import Testing
import TestSupport

@Suite struct SoftmaxTests {
  /// Softmax of each row in Double.
  static func reference(_ x: [Float], rows: Int, cols: Int, log: Bool) -> [Float] {
    (0..<rows).flatMap { r -> [Float] in
      let row = x[r * cols..<(r + 1) * cols].map(Double.init)
      let m = row.max() ?? 0
      let total = row.map { Foundation.exp($0 - m) }.reduce(0, +)
      return row.map { Float(log ? $0 - m - Foundation.log(total) : Foundation.exp($0 - m) / total) }
    }
  }

  // softmax([1, 2, 3]) = [e⁻², e⁻¹, 1]/(e⁻² + e⁻¹ + 1) = [0.09003057, 0.24472847, 0.66524096];
  // logSoftmax = x − 3.4076059 = [−2.4076059, −1.4076059, −0.4076059].
  @Test("hand-computed row")
  func handComputed() throws {
    let x = Tensor(shape: [1, 3], scalars: [1, 2, 3])
    #expect(allClose(try x.softmax().scalars, [0.09003057, 0.24472847, 0.66524096], rtol: 1e-6))
    #expect(allClose(try x.logSoftmax().scalars, [-2.4076059, -1.4076059, -0.4076059], rtol: 1e-6))
  }

  @Test("random rows of awkward widths match the Double reference", arguments: [1, 7, 15, 17, 33, 1000])
  func randomized(cols: Int) {
    var rng = LCG(seed: UInt64(cols))
    let rows = 3
    let x = rng.array(rows * cols, -30, 30)
    for log in [false, true] {
      var y = [Float](repeating: 0, count: x.count)
      x.withUnsafeBufferPointer { xs in
        y.withUnsafeMutableBufferPointer {
          if log {
            Softmax.logSoftmax(xs.baseAddress!, $0.baseAddress!, rows: rows, cols: cols)
          } else {
            Softmax.softmax(xs.baseAddress!, $0.baseAddress!, rows: rows, cols: cols)
          }
        }
      }
      let expected = Self.reference(x, rows: rows, cols: cols, log: log)
      // NOTE: e^(x − m) turns the rounding of x − m (|x − m| ≤ 60, so up to 60·2⁻²⁴ ≈ 3.6e−6)
      // into relative error; a Float softmax cannot do better (torch neither).
      let rtol = log ? 1e-6 : 6e-6
      #expect(allClose(y, expected, rtol: rtol, atol: 1e-7), "log=\(log): \(firstMismatch(y, expected, rtol: rtol, atol: 1e-7) ?? "")")
    }
  }

  @Test("large logits do not overflow; in place works")
  func stability() throws {
    var x: [Float] = [1000, 1000, -1000, 0]
    x.withUnsafeMutableBufferPointer { Softmax.softmax(UnsafePointer($0.baseAddress!), $0.baseAddress!, rows: 1, cols: 4) }
    #expect(x == [0.5, 0.5, 0, 0])
    let log = try Tensor(shape: [2], scalars: [1000, 1000]).logSoftmax()
    #expect(allClose(log.scalars, [-0.6931472, -0.6931472]))
  }

  @Test("any axis agrees with the last-axis kernel on the transposed data")
  func otherAxis() throws {
    var rng = LCG(seed: 8)
    let (a, b) = (17, 5)
    let values = rng.array(a * b, -4, 4)
    let x = Tensor(shape: [a, b], scalars: values)
    let transposed = Tensor(shape: [b, a], scalars: (0..<a * b).map { values[($0 % a) * b + $0 / a] })
    for log in [false, true] {
      let alongFirst = try log ? x.logSoftmax(axis: 0) : x.softmax(axis: 0)
      let alongLast = try log ? transposed.logSoftmax(axis: -1) : transposed.softmax(axis: -1)
      let back = (0..<a * b).map { alongLast.scalars[($0 % b) * a + $0 / b] }
      #expect(allClose(alongFirst.scalars, back, rtol: 1e-6), "log=\(log)")
    }
    #expect(throws: CoreError.invalidAxis(op: "softmax", axis: 2, shape: [17, 5])) { try x.softmax(axis: 2) }
  }
}
