import Blocks
import Diagnostics

extension RecipeChecker {
  /// Checks the keys of a mapping against declared parameters: unknown keys (did-you-mean),
  /// each value's type and range, missing required keys; records resolved values and defaults.
  mutating func checkParams(_ entries: [YAMLNode.Entry], _ params: [ParamDecl], path: String, owner: YAMLNode) {
    for entry in entries {
      guard let key = entry.key.scalar, entry.key.entries == nil, entry.key.items == nil else {
        error(.wrongType, "keys in \(path) are words, found \(entry.key.summary)", at: entry.key)
        continue
      }
      guard let decl = params.first(where: { $0.key == key }) else {
        unknown(.unknownKey, "key", entry.key, in: path, candidates: params.map(\.key), listInOrder: true)
        continue
      }
      keys["\(path).\(key)"] = entry.key
      nodes["\(path).\(key)"] = entry.value
      if let value = typed(entry.value, decl, path: "\(path).\(key)") {
        values["\(path).\(key)"] = ResolvedValue(value: value, origin: .source(entry.value.span))
      }
    }
    let present = Set(entries.compactMap(\.key.scalar))
    for decl in params where !present.contains(decl.key) {
      switch decl.defaultValue {
      case .required:
        error(.missingKey, "\(path) needs '\(decl.key)'", at: owner, notes: ["'\(decl.key)': \(decl.doc)"],
              help: ["add '\(decl.key): <\(decl.type)>'"])
      case .value(let value):
        values["\(path).\(decl.key)"] = ResolvedValue(value: value, origin: .declaredDefault)
        // A default the run kind does not implement is found at the block that takes it.
        if decl.restriction(of: value) != nil { restrictedValues.append(("\(path).\(decl.key)", decl, value, owner)) }
      case .absent:
        values["\(path).\(decl.key)"] = ResolvedValue(value: .null, origin: .declaredDefault)
      case .derived:
        break
      }
    }
  }

  /// Types `node` by `decl`: the value, or `nil` after reporting why it does not fit. A
  /// value that only some run kinds implement is kept for the support check.
  mutating func typed(_ node: YAMLNode, _ decl: ParamDecl, path: String) -> ParamValue? {
    let value = typedValue(node, decl, path: path)
    // A record or a formula is checked in place and has no single value: it is set.
    let seen = value ?? (node.isNull || decl.type.isScalarOrList ? nil : .string(node.scalar ?? "{…}"))
    if let seen, decl.restriction(of: seen) != nil { restrictedValues.append((path, decl, seen, node)) }
    return value
  }

  private mutating func typedValue(_ node: YAMLNode, _ decl: ParamDecl, path: String) -> ParamValue? {
    if node.isNull, !(node.scalar == "none" && decl.type.choices?.contains("none") == true) {
      if decl.isNullable { return .null }
      error(.wrongType, "\(path) cannot be \(node.summary); expected \(decl.type)", at: node)
      return nil
    }
    switch decl.type {
    case .bool, .int, .float:
      return number(node, decl, path: path)
    case .string:
      guard let text = node.scalar else { return mismatch(node, decl, path: path) }
      if node.style == .plain {
        if ScalarSyntax.boolean(text) != nil || ScalarSyntax.number(text) != nil {
          error(.wrongType, "\(path) takes a string, found \(node.summary)", at: node, help: ["quote it: '\(path.split(separator: ".").last ?? ""): \"\(text)\"'"])
          return nil
        }
        if ScalarSyntax.isYAML11Boolean(text) {
          report(.warning, .yaml11Boolean, "'\(text)' is read as the string '\(text)' here, but YAML 1.1 tools read it as a boolean", at: node,
                 help: ["quote it: \"\(text)\""])
        }
      }
      return .string(text)
    case .choice(let words):
      guard let text = node.scalar else { return mismatch(node, decl, path: path) }
      if words.contains(text), node.style != .literal, node.style != .folded { return .string(text) }
      var notes: [String] = []
      if node.style == .plain, ScalarSyntax.isYAML11Boolean(text) || ScalarSyntax.boolean(text) != nil {
        notes.append("YAML 1.1 tools read '\(text)' as a boolean; it is none of the choices")
      }
      let near = Suggestions.closest(to: text, among: words)
      error(.unknownChoice, "\(path) cannot be '\(text)'" + (near.map { "; did you mean '\($0)'?" } ?? ""), at: node,
            notes: notes + ["\(path) is one of \(near == nil ? Suggestions.list(words) : words.map { "'\($0)'" }.joined(separator: ", "))"],
            suggestion: near)
      return nil
    case .list(let item, let count):
      guard let items = node.items else { return mismatch(node, decl, path: path) }
      if let count, items.count != count {
        error(.wrongType, "\(path) takes \(decl.type), found \(items.count) item\(items.count == 1 ? "" : "s")", at: node)
        return nil
      }
      let typedItems = items.enumerated().map { i, node in
        typed(node, ParamDecl(decl.key, item, default: .required, range: decl.range, doc: decl.doc), path: "\(path)[\(i)]")
      }
      let ok = typedItems.compactMap { $0 }
      return ok.count == items.count ? .list(ok) : nil
    case .record(let params):
      guard let entries = node.entries else { return mismatch(node, decl, path: path) }
      checkParams(entries, params, path: path, owner: node)
      return nil
    case .expression(let context):
      guard node.scalar != nil else { return mismatch(node, decl, path: path) }
      checkExpression(node, context: context, path: path)
      return nil
    case .blockList(let kind):
      guard let items = node.items else { return mismatch(node, decl, path: path) }
      for (i, item) in items.enumerated() { checkListedBlock(item, kind: kind, path: "\(path)[\(i)]") }
      return nil
    }
  }

  private mutating func mismatch(_ node: YAMLNode, _ decl: ParamDecl, path: String) -> ParamValue? {
    error(.wrongType, "\(path) takes \(decl.type), found \(node.summary)", at: node)
    return nil
  }

  /// Booleans and numbers: YAML 1.1 booleans, quoted numbers and version-like strings are
  /// errors with a help line, never a silent misreading.
  private mutating func number(_ node: YAMLNode, _ decl: ParamDecl, path: String) -> ParamValue? {
    guard let text = node.scalar else { return mismatch(node, decl, path: path) }
    let key = path.split(separator: ".").last.map(String.init) ?? path
    // How a fix is written: 'key: value' for a parameter, the bare value for a list item.
    let written = { (value: String) in path.hasSuffix("]") ? value : "\(key): \(value)" }
    if node.style != .plain {
      if decl.type == .bool, ScalarSyntax.boolean(text) != nil {
        error(.wrongType, "\(path) takes true or false, found the string \"\(text)\"", at: node,
              notes: ["a quoted \"\(text)\" is a string, and every non-empty string is truthy in Python configs"], help: ["remove the quotes: '\(written(text))'"])
        return nil
      }
      if decl.type != .bool, ScalarSyntax.number(text) != nil {
        error(.quotedNumber, "\(path) takes \(decl.type), found the string \"\(text)\"", at: node, help: ["remove the quotes: '\(written(text))'"])
        return nil
      }
      return mismatch(node, decl, path: path)
    }
    if decl.type == .bool {
      if let b = ScalarSyntax.boolean(text) { return .bool(b) }
      if ScalarSyntax.isYAML11Boolean(text) {
        let meant = ["y", "yes", "on"].contains(text.lowercased())
        error(.yaml11Boolean, "\(path) takes true or false, found '\(text)'", at: node,
              notes: ["YAML 1.1 read '\(text)' as \(meant); YAML 1.2 reads it as a string"], help: ["write '\(written(String(meant)))'"],
              suggestion: String(meant))
        return nil
      }
      return mismatch(node, decl, path: path)
    }
    guard let x = ScalarSyntax.number(text) else {
      var notes: [String] = []
      if text.filter({ $0 == "." }).count > 1, text.allSatisfy({ $0.isNumber || $0 == "." }) {
        notes.append("'\(text)' reads as a string, like a version number")
      } else if text.contains("_"), ScalarSyntax.number(text.replacingOccurrences(of: "_", with: "")) != nil {
        notes.append("YAML 1.2 does not allow '_' in numbers")
      }
      error(.wrongType, "\(path) takes \(decl.type), found \(node.summary)", at: node, notes: notes)
      return nil
    }
    guard x.isFinite else {
      error(.outOfRange, "\(path) must be a finite number, found \(text)", at: node)
      return nil
    }
    let value: ParamValue
    if decl.type == .int {
      guard let i = ScalarSyntax.integer(text) else {
        error(.wrongType, "\(path) takes an integer, found \(text)", at: node,
              help: x == x.rounded() && abs(x) < 1e15 ? ["write '\(written(String(Int(x))))'"] : [])
        return nil
      }
      value = .int(i)
    } else {
      value = .float(x)
    }
    if let range = decl.range, !range.contains(x) {
      error(.outOfRange, "\(path) is \(text), outside its range \(range)", at: node, notes: ["'\(key)': \(decl.doc)"])
      return nil
    }
    return value
  }
}

extension ParamType {
  /// The words of a choice type.
  var choices: [String]? {
    if case .choice(let words) = self { return words }
    return nil
  }
}
