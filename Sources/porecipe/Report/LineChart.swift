/// A chart of one metric against one axis: a line per series (the mean across seeds) with
/// a band for the min–max range. Data only; `LineChart+SVG.swift` draws it.
struct LineChart: Equatable {
  struct Line: Equatable {
    var name: String
    var points: [BandPoint]
  }

  var title: String
  var xLabel: String
  var yLabel: String
  var lines: [Line]

  /// The most points a line is drawn with (see `thinned`).
  static let pointLimit = 500

  /// The chart of `key` against each series' x axis, or `nil` when no series logged `key`.
  init?(title: String, key: String, xLabel: String, yLabel: String, series: [ReportSeries]) {
    let lines = series.map { Line(name: $0.label, points: Self.thinned($0.curve(key), to: Self.pointLimit)) }.filter { !$0.points.isEmpty }
    guard !lines.isEmpty else { return nil }
    (self.title, self.xLabel, self.yLabel, self.lines) = (title, xLabel, yLabel, lines)
  }

  init(title: String, xLabel: String, yLabel: String, lines: [Line]) {
    (self.title, self.xLabel, self.yLabel, self.lines) = (title, xLabel, yLabel, lines)
  }

  /// At most `limit` points: past it, runs of k = ⌈count/limit⌉ consecutive points become one
  /// at their mean x and mean of means, with the lowest min and highest max of the run (so
  /// the band still spans every seed's extremes). A chart of 25k iterations stays small.
  static func thinned(_ points: [BandPoint], to limit: Int) -> [BandPoint] {
    guard points.count > limit, limit > 0 else { return points }
    let k = (points.count + limit - 1) / limit
    return stride(from: 0, to: points.count, by: k).map { start in
      let run = points[start..<Swift.min(start + k, points.count)]
      let n = Double(run.count)
      return BandPoint(x: run.map(\.x).reduce(0, +) / n,
                       y: Spread(mean: run.map(\.y.mean).reduce(0, +) / n, min: run.map(\.y.min).min() ?? 0,
                                 max: run.map(\.y.max).max() ?? 0, count: run.map(\.y.count).max() ?? 0))
    }
  }
}
