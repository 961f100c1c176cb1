import Core
import Graph
import Testing

@Suite struct GraphErrorTests {
  @Test("a shape error names the op and both shapes")
  func message() {
    let error = GraphError.shapeMismatch(op: "add", shapes: [[2, 3], [3]], reason: "ranks differ")
    #expect(error.description == "add: shapes [2,3] and [3] do not fit: ranks differ")
  }
}
