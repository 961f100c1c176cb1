/// Whether `a` and `b` agree within `rtol·max(|a|,|b|) + atol`; NaN is never close to anything.
public func isClose(_ a: Double, _ b: Double, rtol: Double = 1e-6, atol: Double = 1e-9) -> Bool {
  if a.isNaN || b.isNaN { return false }
  if a == b { return true }  // equal infinities
  return Swift.abs(a - b) <= rtol * Swift.max(Swift.abs(a), Swift.abs(b)) + atol
}

/// Float convenience for `isClose`.
public func isClose(_ a: Float, _ b: Float, rtol: Float = 1e-5, atol: Float = 1e-6) -> Bool {
  isClose(Double(a), Double(b), rtol: Double(rtol), atol: Double(atol))
}

/// Whether every pair of elements is close; the arrays must have equal counts.
public func allClose<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], rtol: Double = 1e-5, atol: Double = 1e-6) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose(Double($0), Double($1), rtol: rtol, atol: atol) }
}

/// The index and values of the first pair that is not close, for failure messages.
public func firstMismatch<T: BinaryFloatingPoint>(_ a: [T], _ b: [T], rtol: Double = 1e-5, atol: Double = 1e-6) -> String? {
  if a.count != b.count { return "counts differ: \(a.count) vs \(b.count)" }
  for (i, (x, y)) in zip(a, b).enumerated() where !isClose(Double(x), Double(y), rtol: rtol, atol: atol) {
    return "element \(i): \(x) vs \(y)"
  }
  return nil
}
