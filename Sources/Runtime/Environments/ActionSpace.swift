/// The actions an environment accepts, as Gymnasium's `Discrete` and `Box` spaces.
public enum ActionSpace: Sendable, Hashable, CustomStringConvertible {
  /// One of `count` actions, `0..<count`; a batch is an int32 tensor `[N]`.
  case discrete(count: Int)
  /// A real vector with per-dimension bounds; a batch is a float32 tensor `[N, low.count]`.
  case box(low: [Float], high: [Float])

  /// Logits per observation for a categorical head (`count`), or action dimensions for a
  /// Gaussian head (`low.count`).
  public var width: Int {
    switch self {
    case let .discrete(count): count
    case let .box(low, _): low.count
    }
  }

  /// Whether actions are indices (`.discrete`).
  public var isDiscrete: Bool {
    if case .discrete = self { true } else { false }
  }

  public var description: String {
    switch self {
    case let .discrete(count): "Discrete(\(count))"
    case let .box(low, high): "Box(\(low), \(high))"
    }
  }
}
