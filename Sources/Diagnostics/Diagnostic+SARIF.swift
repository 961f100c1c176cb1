extension Diagnostic {
  /// `--format sarif`: a SARIF 2.1.0 log with one run, so code-scanning CI shows findings
  /// inline. Columns are Unicode code points, as in the text form.
  ///
  /// - Parameter rules: a one-line summary per code, shown as each rule's description.
  public static func sarifDocument(_ diagnostics: [Diagnostic], rules: [DiagnosticCode: String]) -> String {
    let used = Set(diagnostics.map(\.code)).sorted()
    let ruleObjects: [JSONValue] = used.map { code in
      .object([("id", .string(code.name)), ("shortDescription", .object([("text", .string(rules[code] ?? code.name))]))])
    }
    let results: [JSONValue] = diagnostics.map { d in
      var result: [(String, JSONValue)] = [
        ("ruleId", .string(d.code.name)), ("level", .string(d.severity.sarifLevel)),
        ("message", .object([("text", .string(([d.message] + d.notes.map { "note: " + $0 } + d.help.map { "help: " + $0 }).joined(separator: "\n")))])),
      ]
      if let span = d.span {
        result.append(("locations", .array([span.sarifLocation])))
        if !d.secondary.isEmpty {
          result.append(("relatedLocations", .array(d.secondary.enumerated().map { i, label in
            var object = label.span.sarifLocation.members
            object.insert(("id", .int(i)), at: 0)
            object.append(("message", .object([("text", .string(label.message))])))
            return .object(object)
          })))
        }
      }
      return .object(result)
    }
    let run: JSONValue = .object([
      ("tool", .object([("driver", .object([
        ("name", .string("porecipe")),
        ("rules", .array(ruleObjects)),
      ]))])),
      ("columnKind", .string("unicodeCodePoints")),
      ("results", .array(results)),
    ])
    return JSONValue.object([
      ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
      ("version", .string("2.1.0")), ("runs", .array([run])),
    ]).pretty
  }
}

extension Severity {
  fileprivate var sarifLevel: String {
    switch self {
    case .error, .bug: "error"
    case .warning: "warning"
    case .note: "note"
    }
  }
}

extension SourceSpan {
  fileprivate var sarifLocation: JSONValue {
    .object([("physicalLocation", .object([
      ("artifactLocation", .object([("uri", .string(file))])),
      ("region", .object([
        ("startLine", .int(startLine)), ("startColumn", .int(startColumn)),
        ("endLine", .int(endLine)), ("endColumn", .int(endColumn)),
      ])),
    ]))])
  }
}

extension JSONValue {
  fileprivate var members: [(String, JSONValue)] {
    if case .object(let members) = self { return members }
    return []
  }
}
