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

  /// The chart of `key` against each series' x axis, or `nil` when no series logged `key`.
  init?(title: String, key: String, xLabel: String, yLabel: String, series: [ReportSeries]) {
    let lines = series.map { Line(name: $0.label, points: $0.curve(key)) }.filter { !$0.points.isEmpty }
    guard !lines.isEmpty else { return nil }
    (self.title, self.xLabel, self.yLabel, self.lines) = (title, xLabel, yLabel, lines)
  }

  init(title: String, xLabel: String, yLabel: String, lines: [Line]) {
    (self.title, self.xLabel, self.yLabel, self.lines) = (title, xLabel, yLabel, lines)
  }
}
