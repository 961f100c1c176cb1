import Core
import TestSupport
import Testing

@Suite struct TensorMatmulTests {
  /// op(x) for a rank-2 tensor as nested Double rows.
  static func matrix(_ x: Tensor, offset: Int = 0, transposed: Bool = false) -> [[Double]] {
    let (rows, columns) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
    let values = x.scalars
    let stored = (0..<rows).map { r in (0..<columns).map { Double(values[offset + r * columns + $0]) } }
    return transposed ? (0..<columns).map { c in stored.map { $0[c] } } : stored
  }

  static func product(_ a: [[Double]], _ b: [[Double]]) -> [Double] {
    a.flatMap { row in (0..<b[0].count).map { j in zip(row, b).reduce(0) { $0 + $1.0 * $1.1[j] } } }
  }

  static func random(_ shape: Shape, seed: UInt64) -> Tensor {
    var rng = MatmulRandom(state: seed)
    return Tensor(shape: shape, scalars: rng.floats(shape.count))
  }

  @Test("transposed factors use the last two axes swapped", arguments: [(false, true), (true, false), (true, true)])
  func transposes(flags: (a: Bool, b: Bool)) throws {
    let a = Self.random(flags.a ? [5, 3] : [3, 5], seed: 1)
    let b = Self.random(flags.b ? [4, 5] : [5, 4], seed: 2)
    let c = try a.matmul(b, transposeSelf: flags.a, transposeOther: flags.b)
    #expect(c.shape == [3, 4])
    let expected = Self.product(Self.matrix(a, transposed: flags.a), Self.matrix(b, transposed: flags.b))
    #expect(allClose(c.scalars.map(Double.init), expected, rtol: 1e-5, atol: 1e-6))
  }

  @Test("rank-3 batches multiply entry by entry, and a matrix broadcasts over a batch",
        arguments: zip([[2, 3, 6, 5], [6, 5], [2, 3, 6, 5]] as [Shape], [[2, 3, 5, 4], [2, 3, 5, 4], [5, 4]] as [Shape]))
  func batches(left: Shape, right: Shape) throws {
    let a = Self.random(left, seed: 3), b = Self.random(right, seed: 4)
    let c = try a.matmul(b)
    #expect(c.shape == [2, 3, 6, 4])
    for t in 0..<6 {
      let expected = Self.product(Self.matrix(a, offset: left.rank == 2 ? 0 : t * 30),
                                  Self.matrix(b, offset: right.rank == 2 ? 0 : t * 20))
      let got = Array(c.scalars[(t * 24)..<((t + 1) * 24)]).map(Double.init)
      #expect(allClose(got, expected, rtol: 1e-5, atol: 1e-6), "batch entry \(t)")
    }
  }

  @Test("mismatched shapes throw an error naming both shapes")
  func shapeErrors() {
    let a = Tensor(zeros: [2, 3]), b = Tensor(zeros: [4, 2])
    #expect(throws: CoreError.shapeMismatch(op: "matmul", shapes: [[2, 3], [4, 2]], reason: "inner dimensions 3 and 4 differ")) {
      try a.matmul(b)
    }
    #expect(throws: CoreError.shapeMismatch(op: "matmul", shapes: [[2, 3], [2, 4]],
                                            reason: "inner dimensions 3 and 4 differ (other transposed)")) {
      try a.matmul(Tensor(zeros: [2, 4]), transposeOther: true)
    }
    #expect(throws: CoreError.shapeMismatch(op: "matmul", shapes: [[2, 2, 3], [3, 3, 2]],
                                            reason: "batch dimensions [2] and [3] differ")) {
      try Tensor(zeros: [2, 2, 3]).matmul(Tensor(zeros: [3, 3, 2]))
    }
    #expect(throws: CoreError.shapeMismatch(op: "matmul", shapes: [[3], [3, 2]], reason: "both operands need rank 2 or more")) {
      try Tensor(zeros: [3]).matmul(Tensor(zeros: [3, 2]))
    }
    let error = CoreError.shapeMismatch(op: "matmul", shapes: [[2, 3], [4, 2]], reason: "inner dimensions 3 and 4 differ")
    #expect(error.description == "matmul: shapes [2,3] and [4,2] do not fit: inner dimensions 3 and 4 differ")
  }

  @Test("an int32 operand is rejected")
  func dtypeError() {
    #expect(throws: CoreError.dtypeMismatch(op: "matmul", expected: .float32, got: .int32)) {
      try Tensor(zeros: [2, 2]).matmul(Tensor(shape: [2, 2], indices: [0, 1, 2, 3]))
    }
  }
}
