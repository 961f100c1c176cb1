/// Renders diagnostics as a compiler does (STYLE.md §5):
///
///     recipes/dapo.yaml:12:5: error: unknown key 'hihg' in objective.clip; did you mean 'high'?
///        |
///     12 |     hihg: 0.28
///        |     ^^^^
///        = note: objective.clip accepts 'low', 'high', 'dual', 'delta'
///
/// Colour (ANSI) only when asked, which the CLI does on a terminal without `NO_COLOR`.
public struct DiagnosticRenderer: Sendable {
  public var sources: SourceFiles
  public var colored: Bool

  public init(sources: SourceFiles, colored: Bool = false) {
    self.sources = sources
    self.colored = colored
  }

  /// All diagnostics, each followed by a blank line.
  public func render(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.map { render($0) + "\n" }.joined()
  }

  /// One diagnostic: the headline, the quoted lines with carets, then notes and help.
  public func render(_ diagnostic: Diagnostic) -> String {
    var out = ""
    let location = diagnostic.span.map { "\($0): " } ?? ""
    let severity = paint(diagnostic.severity.label + ":", severityColor(diagnostic.severity))
    out += paint(location, "1") + severity + " " + paint(diagnostic.message, "1") + "\n"

    var snippets: [(span: SourceSpan, label: String?, primary: Bool)] = []
    var extraNotes: [String] = []
    if let span = diagnostic.span {
      snippets.append((span, diagnostic.spanLabel, true))
      for label in diagnostic.secondary {
        if label.span.file == span.file, sources[span.file]?.line(label.span.startLine) != nil {
          snippets.append((label.span, label.message, false))
        } else {
          extraNotes.append("\(label.message): \(label.span)")
        }
      }
    }
    let shown = snippets.filter { sources[$0.span.file]?.line($0.span.startLine) != nil }
      .sorted { $0.span < $1.span }
    let width = String(shown.map(\.span.startLine).max() ?? 0).count
    let gutter = String(repeating: " ", count: width + 1) + paint("|", "34")
    if !shown.isEmpty { out += gutter + "\n" }
    var index = 0
    while index < shown.count {
      let line = shown[index].span
      guard let fullText = sources[line.file]?.line(line.startLine) else { index += 1; continue }
      let number = String(line.startLine)
      let pad = String(repeating: " ", count: width - number.count)
      // Every mark on this line gets its own row under it, the primary first.
      let marks = shown[index...].prefix { $0.span.file == line.file && $0.span.startLine == line.startLine }
      let (text, shift) = Self.window(fullText, around: marks.map(\.span))
      out += paint(pad + number + " |", "34") + (text.isEmpty ? "" : " " + expandTabs(text)) + "\n"
      for snippet in marks.sorted(by: { $0.primary && !$1.primary }) {
        var span = snippet.span
        span.startColumn -= shift
        span.endColumn -= span.isMultiline ? 0 : shift
        out += gutter + " " + underline(span, in: text, label: snippet.label, primary: snippet.primary,
                                       severity: diagnostic.severity) + "\n"
      }
      index += marks.count
    }
    let indent = String(repeating: " ", count: width + 1)
    for note in extraNotes + diagnostic.notes { out += indent + "= " + paint("note:", "1") + " " + note + "\n" }
    for help in diagnostic.help { out += indent + "= " + paint("help:", "1") + " " + help + "\n" }
    return out
  }

  /// Lines longer than this are cut to a window around the marks, with `…` at the cuts.
  static let maximumLineWidth = 160

  /// The part of `line` to show and how many columns it is shifted left by.
  static func window(_ line: Substring, around spans: [SourceSpan]) -> (Substring, Int) {
    let scalars = Array(line.unicodeScalars)
    guard scalars.count > maximumLineWidth, let first = spans.map(\.startColumn).min() else { return (line, 0) }
    let from = max(0, min(first - 1 - 40, scalars.count - maximumLineWidth))
    let to = min(scalars.count, from + maximumLineWidth)
    var text = String(String.UnicodeScalarView(scalars[from..<to]))
    if from > 0 { text = "…" + text }
    if to < scalars.count { text += "…" }
    return (Substring(text), from > 0 ? from - 1 : 0)
  }

  /// Spaces up to the span's column, then `^` (or `-` for a secondary place) under it.
  private func underline(_ span: SourceSpan, in line: Substring, label: String?, primary: Bool,
                         severity: Severity) -> String {
    let scalars = Array(line.unicodeScalars)
    let start = min(max(span.startColumn - 1, 0), scalars.count)
    let end = span.isMultiline ? scalars.count : min(max(span.endColumn - 1, start + 1), max(scalars.count, start + 1))
    let before = scalars[..<start].reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
    let length = max(1, scalars[start..<min(end, scalars.count)].reduce(0) { $0 + ($1 == "\t" ? 4 : 1) })
    let marks = String(repeating: primary ? "^" : "-", count: length)
    let text = marks + (label.map { " " + $0 } ?? "")
    return String(repeating: " ", count: before) + paint(text, primary ? severityColor(severity) : "34")
  }

  private func expandTabs(_ line: Substring) -> String {
    line.replacingTabs()
  }

  private func severityColor(_ severity: Severity) -> String {
    switch severity {
    case .error, .bug: "1;31"
    case .warning: "1;33"
    case .note: "1;36"
    }
  }

  private func paint(_ text: String, _ code: String) -> String {
    colored && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
}

extension Substring {
  /// The line with each tab shown as four spaces, as the caret line counts them.
  fileprivate func replacingTabs() -> String {
    var out = ""
    for scalar in unicodeScalars {
      if scalar == "\t" { out += "    " } else { out.unicodeScalars.append(scalar) }
    }
    return out
  }
}
