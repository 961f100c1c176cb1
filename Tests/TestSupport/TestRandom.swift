/// A tiny deterministic generator for test data (SplitMix64), independent of the core's RNG
/// so that tests of that RNG and tests that merely need numbers do not depend on each other.
public struct TestRandom {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [low, high).
  public mutating func uniform(_ low: Double = -1, _ high: Double = 1) -> Double {
    low + (high - low) * Double(next() >> 11) / Double(1 << 53)
  }

  /// `count` uniform values in [low, high).
  public mutating func uniforms(_ count: Int, _ low: Double = -1, _ high: Double = 1) -> [Double] {
    (0..<count).map { _ in uniform(low, high) }
  }

  /// `count` integers in 0..<upper.
  public mutating func integers(_ count: Int, below upper: Int) -> [Int] {
    (0..<count).map { _ in Int(next() % UInt64(upper)) }
  }
}
