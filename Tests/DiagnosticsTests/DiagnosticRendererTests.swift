import Foundation
import Diagnostics
import Testing

@Suite struct DiagnosticRendererTests {
  static let source = SourceFile(name: "recipes/dapo.yaml", text: (1...11).map { "line \($0)" }.joined(separator: "\n") + "\n    hihg: 0.28\n")

  @Test("the STYLE.md example renders exactly")
  func styleExample() {
    let diagnostic = Diagnostic(.error, "unknown-key", "unknown key 'hihg' in objective.clip; did you mean 'high'?",
                                at: SourceSpan(file: "recipes/dapo.yaml", line: 12, column: 5, length: 4),
                                notes: ["objective.clip accepts 'low', 'high', 'dual', 'delta'"])
    let text = DiagnosticRenderer(sources: SourceFiles([Self.source])).render(diagnostic)
    #expect(text == """
      recipes/dapo.yaml:12:5: error: unknown key 'hihg' in objective.clip; did you mean 'high'?
         |
      12 |     hihg: 0.28
         |     ^^^^
         = note: objective.clip accepts 'low', 'high', 'dual', 'delta'

      """)
  }

  @Test("carets line up under non-ASCII text (columns count Unicode scalars)")
  func nonASCII() {
    let file = SourceFile(name: "a.yaml", text: "title: \"Ωmega β\", yeer: 1\n")
    let diagnostic = Diagnostic(.error, "unknown-key", "bad", at: SourceSpan(file: "a.yaml", line: 1, column: 19, length: 4))
    let text = DiagnosticRenderer(sources: SourceFiles([file])).render(diagnostic)
    #expect(text.contains("1 | title: \"Ωmega β\", yeer: 1\n  |                   ^^^^\n"))
  }

  @Test("a secondary place in the same file is drawn with dashes")
  func secondary() {
    let file = SourceFile(name: "a.yaml", text: "a: 1\nb: 2\na: 3\n")
    let diagnostic = Diagnostic(.error, "duplicate-key", "duplicate key 'a'", at: SourceSpan(file: "a.yaml", line: 3, column: 1),
                                secondary: [.init(span: SourceSpan(file: "a.yaml", line: 1, column: 1), message: "first defined here")])
    #expect(DiagnosticRenderer(sources: SourceFiles([file])).render(diagnostic) == """
      a.yaml:3:1: error: duplicate key 'a'
        |
      1 | a: 1
        | - first defined here
      3 | a: 3
        | ^

      """)
  }

  @Test("colour wraps the severity in ANSI codes only when asked")
  func colour() {
    let diagnostic = Diagnostic(.warning, "x", "careful", at: nil)
    #expect(!DiagnosticRenderer(sources: SourceFiles()).render(diagnostic).contains("\u{1B}"))
    #expect(DiagnosticRenderer(sources: SourceFiles(), colored: true).render(diagnostic).contains("\u{1B}[1;33mwarning:"))
  }

  @Test("a very long line is cut to a window around the caret")
  func longLine() throws {
    let line = String(repeating: "a", count: 1000) + "BAD" + String(repeating: "b", count: 1000)
    let file = SourceFile(name: "long.yaml", text: line + "\n")
    let diagnostic = Diagnostic(.error, "x", "bad", at: SourceSpan(file: "long.yaml", line: 1, column: 1001, length: 3))
    let rendered = DiagnosticRenderer(sources: SourceFiles([file])).render(diagnostic)
    let rows = rendered.split(separator: "\n").map(String.init)
    #expect(rows[2].count < 200)
    #expect(rows[2].hasPrefix("1 | …"))
    #expect(rows[2].hasSuffix("…"))
    let bad = try #require(rows[2].range(of: "BAD")).lowerBound
    let caret = try #require(rows[3].range(of: "^^^")).lowerBound
    #expect(rows[3].distance(from: rows[3].startIndex, to: caret) == rows[2].distance(from: rows[2].startIndex, to: bad))
  }

  @Test("an internal error says so")
  func bug() {
    let diagnostic = Diagnostic(.bug, "internal-error", "broken invariant (please report)", at: nil)
    #expect(DiagnosticRenderer(sources: SourceFiles()).render(diagnostic) == "internal error: broken invariant (please report)\n")
  }

  @Test("diagnostics sort by place and drop repeats")
  func sorting() {
    let a = Diagnostic(.error, "x", "a", at: SourceSpan(file: "f", line: 2, column: 1))
    let b = Diagnostic(.warning, "y", "b", at: SourceSpan(file: "f", line: 1, column: 5))
    #expect(Diagnostic.sortedUnique([a, b, a]) == [b, a])
  }
}

@Suite struct SourceFileTests {
  @Test("lines split on LF, CRLF and CR, without the break")
  func lines() {
    let file = SourceFile(name: "f", text: "a\r\nb\nc\rd\n")
    #expect([1, 2, 3, 4].map { file.line($0).map(String.init) } == ["a", "b", "c", "d"])
    #expect(file.lineCount == 4)
    #expect(file.line(6) == nil)
  }
}
