/// An exact fraction `numerator / denominator` in lowest terms with a positive denominator,
/// for checking countdown expressions without rounding. Every operation reports overflow
/// (`nil`) instead of trapping, since its inputs come from a policy's output.
struct Rational: Sendable, Hashable {
  let numerator: Int
  let denominator: Int

  /// `n / d` reduced; nil when `d` is 0 or a value overflows.
  init?(_ n: Int, _ d: Int = 1) {
    guard d != 0, n != .min, d != .min else { return nil }
    let divisor = Rational.gcd(abs(n), abs(d))
    let sign = d < 0 ? -1 : 1
    numerator = sign * n / Swift.max(divisor, 1)
    denominator = sign * d / Swift.max(divisor, 1)
  }

  /// The integer value, when the fraction is one.
  var integer: Int? { denominator == 1 ? numerator : nil }

  var doubleValue: Double { Double(numerator) / Double(denominator) }

  static func + (a: Rational, b: Rational) -> Rational? {
    guard let ad = a.numerator.multiplied(b.denominator), let bc = b.numerator.multiplied(a.denominator),
          let sum = ad.added(bc), let den = a.denominator.multiplied(b.denominator) else { return nil }
    return Rational(sum, den)
  }

  static func - (a: Rational, b: Rational) -> Rational? {
    guard let negated = Rational(-b.numerator, b.denominator) else { return nil }
    return a + negated
  }

  static func * (a: Rational, b: Rational) -> Rational? {
    guard let num = a.numerator.multiplied(b.numerator), let den = a.denominator.multiplied(b.denominator) else { return nil }
    return Rational(num, den)
  }

  /// nil for division by zero.
  static func / (a: Rational, b: Rational) -> Rational? {
    guard b.numerator != 0, let num = a.numerator.multiplied(b.denominator),
          let den = a.denominator.multiplied(b.numerator) else { return nil }
    return Rational(num, den)
  }

  private static func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }
}

extension Int {
  fileprivate func multiplied(_ other: Int) -> Int? {
    let (value, overflow) = multipliedReportingOverflow(by: other)
    return overflow ? nil : value
  }

  fileprivate func added(_ other: Int) -> Int? {
    let (value, overflow) = addingReportingOverflow(other)
    return overflow ? nil : value
  }
}
