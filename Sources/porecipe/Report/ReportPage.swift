/// The HTML file of `porecipe report`: the table and inline SVG charts, self-contained (no
/// script, no stylesheet or font from the network).
enum ReportPage {
  /// The charts for `series`: for token runs held-out accuracy, response length and entropy
  /// against iterations; for environment runs episode return and entropy against env steps.
  /// A chart no series has data for is left out.
  static func charts(_ series: [ReportSeries]) -> [LineChart] {
    let token = series.filter { $0.kind == .token }, environment = series.filter { $0.kind == .environment }
    return [
      LineChart(title: "Held-out accuracy", key: "eval_accuracy", xLabel: "iteration", yLabel: "eval_accuracy", series: token),
      LineChart(title: "Response length", key: "response_length_mean", xLabel: "iteration", yLabel: "response_length_mean (tokens)",
                series: token),
      LineChart(title: "Entropy (token runs)", key: "entropy", xLabel: "iteration", yLabel: "entropy (nats)", series: token),
      LineChart(title: "Episode return", key: "episode_return_mean", xLabel: "env steps", yLabel: "episode_return_mean",
                series: environment),
      LineChart(title: "Entropy (environment runs)", key: "entropy", xLabel: "env steps", yLabel: "entropy (nats)",
                series: environment),
    ].compactMap { $0 }
  }

  /// The whole page.
  static func html(_ series: [ReportSeries]) -> String {
    var out = """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>porecipe report</title>
      <style>
      body { font-family: sans-serif; margin: 2em; color: #222; }
      pre { background: #f6f6f6; padding: 1em; overflow-x: auto; }
      figure { margin: 1.5em 0; }
      </style>
      </head>
      <body>
      <h1>porecipe report</h1>
      <p>Each line is the mean over a recipe's runs (seeds); the shaded band is their min–max range.
      Figures in the table: mean [min, max].</p>

      """
    out += "<pre>" + LineChart.escaped(ReportTable.text(series)) + "</pre>\n"
    out += "<ul>\n" + series.flatMap { s in s.runs.map { "<li>\(LineChart.escaped(s.label)): \(LineChart.escaped($0.directory))</li>\n" } }.joined() + "</ul>\n"
    for chart in charts(series) { out += "<figure>\n" + chart.svg() + "</figure>\n" }
    return out + "</body>\n</html>\n"
  }
}
