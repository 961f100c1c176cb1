extension Diagnostic {
  /// One object: file, line, column, end {line, column}, severity, code, message, notes,
  /// help, suggestion (`null` when there is none).
  public var json: JSONValue {
    var members: [(String, JSONValue)] = []
    if let span {
      members += [
        ("file", .string(span.file)), ("line", .int(span.startLine)), ("column", .int(span.startColumn)),
        ("end", .object([("line", .int(span.endLine)), ("column", .int(span.endColumn))])),
      ]
    } else {
      members += [("file", .null), ("line", .null), ("column", .null), ("end", .null)]
    }
    let related = secondary.map { "\($0.message): \($0.span)" }
    members += [
      ("severity", .string(severity.rawValue)), ("code", .string(code.name)), ("message", .string(message)),
      ("notes", .array((related + notes).map { .string($0) })), ("help", .array(help.map { .string($0) })),
      ("suggestion", suggestion.map { .string($0) } ?? .null),
    ]
    return .object(members)
  }

  /// `--format json`: one JSON array of diagnostic objects, pretty printed.
  public static func jsonDocument(_ diagnostics: [Diagnostic]) -> String {
    JSONValue.array(diagnostics.map(\.json)).pretty
  }
}
