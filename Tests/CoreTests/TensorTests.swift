import Core
import Testing

@Suite struct TensorTests {
  @Test("shape counts, strides and axis splits")
  func shapeBasics() {
    let shape: Shape = [2, 3, 4]
    #expect(shape.count == 24)
    #expect(shape.strides == [12, 4, 1])
    #expect(shape.split(at: 1) == (outer: 2, extent: 3, inner: 4))
    #expect(Shape.scalar.count == 1)
    #expect(shape.normalizedAxis(-1) == 2)
    #expect(shape.normalizedAxis(3) == nil)
  }

  @Test("copies share storage until one is written")
  func copyOnWrite() {
    let a = Tensor(shape: [3], scalars: [1, 2, 3])
    var b = a
    b[flat: 0] = 10
    #expect(a.scalars == [1, 2, 3])
    #expect(b.scalars == [10, 2, 3])
  }

  @Test("reshape keeps the elements and rejects a different count")
  func reshape() throws {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = try a.reshaped(to: [3, 2])
    #expect(b.shape == [3, 2])
    #expect(b.scalars == a.scalars)
    #expect(throws: CoreError.shapeMismatch(op: "reshape", shapes: [[2, 3], [4]], reason: "element counts 6 and 4 differ")) {
      try a.reshaped(to: [4])
    }
  }
}
