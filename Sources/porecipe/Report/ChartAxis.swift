import Foundation

/// A linear axis whose range is widened to round tick values (steps of 1, 2 or 5 × 10ⁿ).
struct ChartAxis: Equatable {
  var lower: Double
  var upper: Double
  var ticks: [Double]
  /// Decimals that tell the ticks apart.
  var decimals: Int

  /// An axis covering `values` with about `count` ticks; one value (or none) gets a unit-wide
  /// range around it.
  init(covering values: [Double], count: Int = 5) {
    var low = values.min() ?? 0, high = values.max() ?? 1
    if high - low < 1e-12 * Swift.max(1, Swift.abs(high)) {
      let pad = Swift.max(Swift.abs(low) * 0.1, 0.5)
      (low, high) = (low - pad, high + pad)
    }
    let raw = (high - low) / Double(Swift.max(count, 1))
    let magnitude = pow(10, (log10(raw)).rounded(.down))
    let normalized = raw / magnitude
    let step = (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude
    let start = (low / step).rounded(.down) * step, end = (high / step).rounded(.up) * step
    let n = Int(((end - start) / step).rounded())
    (lower, upper) = (start, end)
    ticks = (0...n).map { start + Double($0) * step }
    decimals = Swift.max(0, -Int(log10(step).rounded(.down)))
  }

  /// Where `value` falls between `start` (the axis's lower end) and `end` on screen.
  func position(_ value: Double, from start: Double, to end: Double) -> Double {
    start + (value - lower) / (upper - lower) * (end - start)
  }

  /// A tick's label: fixed decimals, thousands as `k` past 10 000.
  func label(_ value: Double) -> String {
    if decimals == 0, Swift.abs(value) >= 10_000, value.truncatingRemainder(dividingBy: 1000) == 0 {
      return String(format: "%.0fk", value / 1000)
    }
    return String(format: "%.\(decimals)f", value == 0 ? 0 : value)
  }
}
