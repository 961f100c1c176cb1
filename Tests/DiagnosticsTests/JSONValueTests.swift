import Diagnostics
import Testing

@Suite struct JSONValueTests {
  @Test("strings are escaped as RFC 8259 requires")
  func escaping() {
    #expect(JSONValue.quote("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
  }

  @Test("numbers print in their shortest form, integral ones without a fraction")
  func numbers() {
    #expect(JSONValue.array([.number(0.2), .number(1e-6), .number(3), .number(.nan)]).compact == "[0.2,1e-06,3,null]")
  }

  @Test("a diagnostic's JSON has end, code and suggestion")
  func diagnostic() {
    let d = Diagnostic(.error, "unknown-key", "m", at: SourceSpan(file: "f.yaml", line: 3, column: 5, length: 4), suggestion: "high")
    #expect(d.json.compact == #"{"file":"f.yaml","line":3,"column":5,"end":{"line":3,"column":9},"severity":"error","code":"unknown-key","message":"m","notes":[],"help":[],"suggestion":"high"}"#)
  }
}
