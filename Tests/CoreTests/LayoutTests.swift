import Core
import Testing
import TestSupport

@Suite struct LayoutTests {
  func iota(_ shape: Shape) -> Tensor { Tensor(shape: shape, scalars: (0..<shape.count).map(Float.init)) }

  @Test("transpose of a 2×3 matrix")
  func transposeMatrix() throws {
    // [[0 1 2] [3 4 5]]ᵀ = [[0 3] [1 4] [2 5]]
    #expect(try iota([2, 3]).transposed([1, 0]).scalars == [0, 3, 1, 4, 2, 5])
  }

  @Test("transpose of rank 4 against index arithmetic", arguments: [[0, 2, 1, 3], [3, 2, 1, 0], [1, 3, 0, 2]])
  func transposeRank4(_ permutation: [Int]) throws {
    let shape: Shape = [2, 3, 4, 5]
    let result = try iota(shape).transposed(permutation)
    let strides = shape.strides
    let outShape = Shape(permutation.map { shape[$0] })
    for flat in 0..<outShape.count {
      var rest = flat, source = 0
      for axis in (0..<4).reversed() {
        source += (rest % outShape[axis]) * strides[permutation[axis]]
        rest /= outShape[axis]
      }
      #expect(result[flat: flat] == Float(source))
    }
  }

  @Test("broadcast repeats size-1 axes and scalars")
  func broadcast() throws {
    #expect(try iota([2, 1]).broadcast(to: [2, 3]).scalars == [0, 0, 0, 1, 1, 1])
    #expect(try iota([1, 3]).broadcast(to: [2, 3]).scalars == [0, 1, 2, 0, 1, 2])
    #expect(try Tensor(scalar: 7).broadcast(to: [2, 2]).scalars == [7, 7, 7, 7])
    #expect(throws: CoreError.self) { try iota([2]).broadcast(to: [2, 2]) }
  }

  @Test("slice and concat are inverse")
  func sliceConcat() throws {
    let x = iota([2, 5, 3])
    let parts = try [x.sliced(axis: 1, start: 0, length: 2), x.sliced(axis: 1, start: 2, length: 3)]
    #expect(try Tensor.concat(parts, axis: 1) == x)
    #expect(try x.sliced(axis: -1, start: 1, length: 1).scalars == [1, 4, 7, 10, 13, 16, 19, 22, 25, 28])
    #expect(throws: CoreError.self) { try x.sliced(axis: 1, start: 4, length: 2) }
    #expect(throws: CoreError.self) { try Tensor.concat([x, iota([2, 5, 4])], axis: 1) }
  }

  @Test("gather rows and along the last axis, with range checks")
  func gather() throws {
    let table = iota([4, 2])
    #expect(try table.gatherRows(Tensor(shape: [3], indices: [3, 0, 3])).scalars == [6, 7, 0, 1, 6, 7])
    #expect(try table.gatherLastAxis(Tensor(shape: [4], indices: [1, 0, 0, 1])).scalars == [1, 2, 4, 7])
    #expect(throws: CoreError.indexOutOfRange(op: "gather", index: 4, extent: 4)) {
      try table.gatherRows(Tensor(shape: [1], indices: [4]))
    }
    #expect(throws: CoreError.indexOutOfRange(op: "gather", index: -1, extent: 2)) {
      try table.gatherLastAxis(Tensor(shape: [4], indices: [0, 0, -1, 0]))
    }
  }

  @Test("scatter-add accumulates repeated indices")
  func scatterAdd() throws {
    var table = [Float](repeating: 9, count: 6)
    let source: [Float] = [1, 2, 3, 4, 5, 6]
    let indices: [Int32] = [2, 0, 2]
    try Gather.scatterAddRows(source, rows: 3, width: 2, indices: indices, count: 3, into: &table)
    // row 2 gets [1,2] + [5,6]; row 0 gets [3,4]; row 1 stays 0 (the output is overwritten).
    #expect(table == [3, 4, 0, 0, 6, 8])
  }

  @Test("reverse linear scan computes discounted returns")
  func discountedReturns() {
    // γ = 0.5: G = [1 + 0.5·(2 + 0.5·4), 2 + 0.5·4, 4] = [3, 4, 4]
    let rewards: [Float] = [1, 2, 4], decay: [Float] = [0.5, 0.5, 0.5]
    var returns = [Float](repeating: 0, count: 3)
    Scan.linear(rewards, decay: decay, outer: 1, extent: 3, inner: 1, reverse: true, into: &returns)
    #expect(returns == [3, 4, 4])
  }
}
