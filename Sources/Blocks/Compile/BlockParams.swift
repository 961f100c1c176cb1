import Diagnostics

/// One block's resolved parameters, read through its single declaration: a value the recipe
/// (or `--set`) gave, else the declared default. Nothing here invents a default.
public struct BlockParams: Sendable {
  public let declaration: BlockDecl
  /// Resolved values by YAML key (the checker's `objective.clip.high` is `high` here).
  public var values: [String: ParamValue]
  /// The recipe entry that named the block; compile errors point here.
  public var span: SourceSpan?

  public init(_ declaration: BlockDecl, values: [String: ParamValue] = [:], span: SourceSpan? = nil) {
    self.declaration = declaration
    self.values = values
    self.span = span
  }

  /// The value of `key`, or `nil` when it is unset (`null`, or a default derived elsewhere).
  /// A key inside a record parameter is dotted (`adaptive.target`); it is `nil` while the
  /// record is off (none of its keys given), else its value or the record's default.
  public func value(_ key: String) throws(CompileError) -> ParamValue? {
    guard let decl = declaration.param(key) ?? nestedParam(key) else {
      throw CompileError("internal error: \(declaration.path) declares no parameter '\(key)' (please report)", at: span)
    }
    if let value = values[key] { return value == .null ? nil : value }
    if let dot = key.firstIndex(of: "."), !values.keys.contains(where: { $0.hasPrefix(key[...dot]) }) { return nil }
    switch decl.defaultValue {
    case .value(let value): return value
    case .absent, .derived: return nil
    case .required: throw CompileError("\(declaration.path).\(key) is required", at: span, help: ["set it, e.g. --set \(declaration.path).\(key)=..."])
    }
  }

  /// A number parameter that must be set.
  public func number(_ key: String) throws(CompileError) -> Double {
    guard let value = try optionalNumber(key) else {
      throw CompileError("\(declaration.path).\(key) is required", at: span)
    }
    return value
  }

  /// A number parameter, `nil` when unset.
  public func optionalNumber(_ key: String) throws(CompileError) -> Double? {
    guard let value = try value(key) else { return nil }
    guard let number = value.number else { throw mistyped(key, value, "a number") }
    return number
  }

  public func bool(_ key: String) throws(CompileError) -> Bool {
    guard case .bool(let flag)? = try value(key) else { throw mistyped(key, try value(key) ?? .null, "true or false") }
    return flag
  }

  /// A word parameter (a choice) as written.
  public func word(_ key: String) throws(CompileError) -> String {
    guard case .string(let word)? = try value(key) else { throw mistyped(key, try value(key) ?? .null, "a word") }
    return word
  }

  /// A closed choice as its Swift enum.
  public func choice<Choice: RawRepresentable>(_ key: String, as: Choice.Type = Choice.self) throws(CompileError) -> Choice
  where Choice.RawValue == String {
    guard case .string(let word)? = try value(key), let choice = Choice(rawValue: word) else {
      throw mistyped(key, try value(key) ?? .null, "one of its declared choices")
    }
    return choice
  }

  /// The declaration of `record.key` inside a record parameter.
  private func nestedParam(_ key: String) -> ParamDecl? {
    let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
    guard parts.count == 2, case .record(let fields)? = declaration.param(parts[0])?.type else { return nil }
    return fields.first { $0.key == parts[1] }
  }

  private func mistyped(_ key: String, _ value: ParamValue, _ expected: String) -> CompileError {
    CompileError("internal error: \(declaration.path).\(key) is \(value), expected \(expected) (please report)", at: span)
  }
}
