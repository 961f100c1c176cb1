@testable import Graph
import Core
import Testing

@Suite struct FusionTests {
  @Test("broadcast patterns that fused kernels read without materializing")
  func patterns() {
    #expect(BroadcastPattern(from: [1, 5], to: [3, 5]) == .periodic(period: 5))
    #expect(BroadcastPattern(from: [1, 1, 8], to: [2, 4, 8]) == .periodic(period: 8))
    #expect(BroadcastPattern(from: [3, 1], to: [3, 5]) == .repeated(factor: 5))
    #expect(BroadcastPattern(from: [2, 4, 1], to: [2, 4, 8]) == .repeated(factor: 8))
    #expect(BroadcastPattern(from: [], to: [2, 2]) == .periodic(period: 1))
    #expect(BroadcastPattern(from: [1, 1], to: [2, 2]) == .periodic(period: 1))
    // Kept and repeated axes interleave: materialized by a strided copy instead.
    #expect(BroadcastPattern(from: [2, 1, 3], to: [2, 4, 3]) == nil)
    #expect(BroadcastPattern(from: [1, 4, 1], to: [2, 4, 3]) == nil)
  }
}
