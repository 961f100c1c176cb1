import Foundation

extension LineChart {
  /// Line colours, in order (Tableau 10); a series past the tenth reuses them.
  static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

  /// The chart as a standalone SVG element: axes with ticks and labels, a shaded min–max
  /// band and a mean line per series (a dot where a series has one point), a legend at the right.
  func svg(width: Double = 760, height: Double = 360) -> String {
    let legendWidth = 170.0
    let (left, right, top, bottom) = (64.0, width - legendWidth, 34.0, height - 48)
    let x = ChartAxis(covering: lines.flatMap { $0.points.map(\.x) })
    let y = ChartAxis(covering: lines.flatMap { $0.points.flatMap { [$0.y.min, $0.y.max] } })
    let px = { (v: Double) in Self.number(x.position(v, from: left, to: right)) }
    let py = { (v: Double) in Self.number(y.position(v, from: bottom, to: top)) }

    var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
      + "viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
    out += "<title>\(Self.escaped(title))</title>\n"
    out += "<text x=\"\(Self.number((left + right) / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(Self.escaped(title))</text>\n"
    // Grid, ticks and tick labels.
    for t in x.ticks {
      out += "<line x1=\"\(px(t))\" y1=\"\(Self.number(top))\" x2=\"\(px(t))\" y2=\"\(Self.number(bottom))\" stroke=\"#e6e6e6\"/>"
      out += "<line x1=\"\(px(t))\" y1=\"\(Self.number(bottom))\" x2=\"\(px(t))\" y2=\"\(Self.number(bottom + 5))\" stroke=\"#333\"/>"
      out += "<text x=\"\(px(t))\" y=\"\(Self.number(bottom + 18))\" text-anchor=\"middle\">\(x.label(t))</text>\n"
    }
    for t in y.ticks {
      out += "<line x1=\"\(Self.number(left))\" y1=\"\(py(t))\" x2=\"\(Self.number(right))\" y2=\"\(py(t))\" stroke=\"#e6e6e6\"/>"
      out += "<line x1=\"\(Self.number(left - 5))\" y1=\"\(py(t))\" x2=\"\(Self.number(left))\" y2=\"\(py(t))\" stroke=\"#333\"/>"
      out += "<text x=\"\(Self.number(left - 8))\" y=\"\(py(t))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(y.label(t))</text>\n"
    }
    out += "<line x1=\"\(Self.number(left))\" y1=\"\(Self.number(bottom))\" x2=\"\(Self.number(right))\" y2=\"\(Self.number(bottom))\" stroke=\"#333\"/>"
    out += "<line x1=\"\(Self.number(left))\" y1=\"\(Self.number(top))\" x2=\"\(Self.number(left))\" y2=\"\(Self.number(bottom))\" stroke=\"#333\"/>\n"
    out += "<text x=\"\(Self.number((left + right) / 2))\" y=\"\(Self.number(height - 10))\" text-anchor=\"middle\">\(Self.escaped(xLabel))</text>\n"
    out += "<text transform=\"translate(16 \(Self.number((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(Self.escaped(yLabel))</text>\n"
    // Bands first, so every mean line stays visible on top of them.
    for (index, line) in lines.enumerated() where line.points.count > 1 && line.points.contains(where: { $0.y.max > $0.y.min }) {
      let upper = line.points.map { "\(px($0.x)),\(py($0.y.max))" }
      let lower = line.points.reversed().map { "\(px($0.x)),\(py($0.y.min))" }
      out += "<polygon class=\"band\" data-series=\"\(Self.escaped(line.name))\" points=\"\((upper + lower).joined(separator: " "))\" "
        + "fill=\"\(Self.color(index))\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
    }
    for (index, line) in lines.enumerated() {
      if line.points.count == 1, let point = line.points.first {
        out += "<circle class=\"mean\" data-series=\"\(Self.escaped(line.name))\" cx=\"\(px(point.x))\" cy=\"\(py(point.y.mean))\" r=\"3\" fill=\"\(Self.color(index))\"/>\n"
      } else {
        let points = line.points.map { "\(px($0.x)),\(py($0.y.mean))" }.joined(separator: " ")
        out += "<polyline class=\"mean\" data-series=\"\(Self.escaped(line.name))\" points=\"\(points)\" fill=\"none\" "
          + "stroke=\"\(Self.color(index))\" stroke-width=\"2\"/>\n"
      }
    }
    // Legend: a swatch and the series' name, one entry a row.
    for (index, line) in lines.enumerated() {
      let rowY = top + 8 + Double(index) * 20
      out += "<rect x=\"\(Self.number(right + 16))\" y=\"\(Self.number(rowY - 6))\" width=\"14\" height=\"12\" fill=\"\(Self.color(index))\"/>"
      out += "<text x=\"\(Self.number(right + 36))\" y=\"\(Self.number(rowY))\" dominant-baseline=\"middle\">\(Self.escaped(line.name))</text>\n"
    }
    return out + "</svg>\n"
  }

  static func color(_ index: Int) -> String { palette[index % palette.count] }

  /// A coordinate with at most one decimal.
  static func number(_ v: Double) -> String {
    let rounded = (v * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  /// `text` with XML's special characters escaped, for element text and attribute values.
  static func escaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }
}
