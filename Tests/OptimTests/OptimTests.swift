import Optim
import Testing

@Suite struct OptimPlaceholderTests {
  @Test("the optimizer layer links") func links() { #expect(Optim.self == Optim.self) }
}
