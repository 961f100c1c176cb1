import Blocks

extension ParamValue {
  /// The value as a YAML flow scalar or list, re-readable as the same value: `0.28`,
  /// `token_mean`, `[0.9, 0.99]`, `"a: b"` (strings quoted when plain text would read
  /// as something else).
  public var flow: String {
    switch self {
    case .string(let text): Self.flowString(text)
    case .list(let items): "[" + items.map(\.flow).joined(separator: ", ") + "]"
    default: description
    }
  }

  static func flowString(_ text: String) -> String {
    let special = text.isEmpty || text.contains { ":{}[],#&*!|>'\"%@`\n\t".contains($0) } || text.hasPrefix("-")
      || text.hasPrefix(" ") || text.hasSuffix(" ") || ScalarSyntax.number(text) != nil || ScalarSyntax.boolean(text) != nil
      || YAMLNode.nullWords.contains(text) || ScalarSyntax.isYAML11Boolean(text)
    guard special else { return text }
    return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\t", with: "\\t") + "\""
  }
}

/// `{estimator: k3, coef: 0.04}`: entries as a YAML flow mapping, keys relative to
/// `prefix`, nested records as nested mappings (`{sft: {lr: 0.001}}`).
func flowMapping(_ entries: [ResolvedRecipe.Entry], under prefix: String) -> String {
  let relative = entries.compactMap { entry in
    entry.value.map { (entry.path.dropFirst(prefix.count + 1).split(separator: ".").map(String.init), $0) }
  }
  return flowMapping(relative)
}

private func flowMapping(_ entries: [([String], ParamValue)]) -> String {
  var members: [String] = []
  var index = 0
  while index < entries.count {
    let (key, value) = entries[index]
    guard key.count > 1, let head = key.first else {
      members.append("\(key.joined(separator: ".")): \(value.flow)")
      index += 1
      continue
    }
    let group = entries[index...].prefix { $0.0.count > 1 && $0.0.first == head }
    members.append("\(head): " + flowMapping(group.map { (Array($0.0.dropFirst()), $0.1) }))
    index += group.count
  }
  return "{" + members.joined(separator: ", ") + "}"
}
