/// The mean and the min–max range of one figure across the seeds of a series.
struct Spread: Equatable {
  var mean: Double
  var min: Double
  var max: Double
  var count: Int

  /// `nil` for no values.
  init?(_ values: [Double]) {
    guard let first = values.first else { return nil }
    count = values.count
    mean = values.reduce(0, +) / Double(values.count)
    (min, max) = values.dropFirst().reduce((first, first)) { (Swift.min($0.0, $1), Swift.max($0.1, $1)) }
  }

  init(mean: Double, min: Double, max: Double, count: Int) {
    (self.mean, self.min, self.max, self.count) = (mean, min, max, count)
  }
}

/// One point of a series' curve: at `x`, the mean and range over the runs that logged it.
struct BandPoint: Equatable {
  var x: Double
  var y: Spread
}
