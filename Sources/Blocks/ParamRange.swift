/// The interval a numeric parameter must lie in, printed the way BLOCKS.md writes it:
/// `[0, 1)`, `> 0`, `>= 1`.
public struct ParamRange: Sendable, Hashable, CustomStringConvertible {
  public var lower: Double?
  public var lowerIsClosed: Bool
  public var upper: Double?
  public var upperIsClosed: Bool

  public init(lower: Double?, lowerIsClosed: Bool = true, upper: Double?, upperIsClosed: Bool = true) {
    self.lower = lower
    self.lowerIsClosed = lowerIsClosed
    self.upper = upper
    self.upperIsClosed = upperIsClosed
  }

  /// `> 0`.
  public static let positive = ParamRange(lower: 0, lowerIsClosed: false, upper: nil)
  /// `>= 0`.
  public static let nonNegative = ParamRange(lower: 0, upper: nil)
  /// `[0, 1]`.
  public static let unit = ParamRange(lower: 0, upper: 1)
  /// `[0, 1)`.
  public static let unitOpenAbove = ParamRange(lower: 0, upper: 1, upperIsClosed: false)
  /// `(0, 1]`.
  public static let fraction = ParamRange(lower: 0, lowerIsClosed: false, upper: 1)
  /// `(0, 1)`.
  public static let openUnit = ParamRange(lower: 0, lowerIsClosed: false, upper: 1, upperIsClosed: false)

  /// `>= value`.
  public static func atLeast(_ value: Double) -> ParamRange { ParamRange(lower: value, upper: nil) }
  /// `> value`.
  public static func above(_ value: Double) -> ParamRange { ParamRange(lower: value, lowerIsClosed: false, upper: nil) }
  /// `[a, b]`.
  public static func closed(_ a: Double, _ b: Double) -> ParamRange { ParamRange(lower: a, upper: b) }
  /// `[a, b)`.
  public static func closedOpen(_ a: Double, _ b: Double) -> ParamRange { ParamRange(lower: a, upper: b, upperIsClosed: false) }

  /// Whether `x` lies in the interval (NaN never does).
  public func contains(_ x: Double) -> Bool {
    guard !x.isNaN else { return false }
    if let lower, lowerIsClosed ? x < lower : x <= lower { return false }
    if let upper, upperIsClosed ? x > upper : x >= upper { return false }
    return true
  }

  public var description: String {
    switch (lower, upper) {
    case let (a?, b?): "\(lowerIsClosed ? "[" : "(")\(Self.format(a)), \(Self.format(b))\(upperIsClosed ? "]" : ")")"
    case let (a?, nil): "\(lowerIsClosed ? ">=" : ">") \(Self.format(a))"
    case let (nil, b?): "\(upperIsClosed ? "<=" : "<") \(Self.format(b))"
    case (nil, nil): "any number"
    }
  }

  static func format(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : "\(x)"
  }
}
