import Diagnostics

extension RecipeExplanation {
  /// The explanation as one JSON object: the recipe, its chain, stages, KL, aggregation,
  /// and every value with its origin.
  public var json: JSONValue {
    .object([
      ("recipe", .string(recipe.name)),
      ("file", .string(recipe.file)),
      ("extends", .array(recipe.chain.dropFirst().map { .string($0) })),
      ("stages", .object(stages.map { ($0.stage, .string($0.blocks)) })),
      ("kl", .string(klSummary)),
      ("aggregate", .string(aggregateSummary)),
      ("values", .array(recipe.entries.map { entry in
        .object([("path", .string(entry.path)), ("value", entry.json), ("origin", entry.origin.json)])
      })),
    ])
  }
}

extension ValueOrigin {
  /// `{"kind": "file", "file": ..., "line": ..., "column": ...}`; kinds are `file`,
  /// `builtin`, `set`, `default`, `derived` (with `from`) and `absent_slot`.
  var json: JSONValue {
    func located(_ kind: String, _ span: SourceSpan) -> JSONValue {
      .object([("kind", .string(kind)), ("file", .string(span.file)), ("line", .int(span.startLine)), ("column", .int(span.startColumn))])
    }
    return switch self {
    case .file(let span): located("file", span)
    case .builtin(_, let span): located("builtin", span)
    case .commandLine(let span): located("set", span)
    case .declaredDefault: .object([("kind", .string("default"))])
    case .derived(let path): .object([("kind", .string("derived")), ("from", .string(path))])
    case .absentSlot: .object([("kind", .string("absent_slot"))])
    }
  }
}
