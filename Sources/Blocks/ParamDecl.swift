/// What a parameter takes when a recipe does not set it.
public enum ParamDefault: Sendable, Hashable {
  /// This value.
  case value(ParamValue)
  /// Nothing: the recipe must set it.
  case required
  /// Off / unset (`null`).
  case absent
  /// Computed from another value, described in words (`low`, `rollout.max_tokens`).
  case derived(String)

  /// The default as docs print it.
  public var summary: String? {
    switch self {
    case .value(let v): v.description
    case .required: nil
    case .absent: "null"
    case .derived(let what): "same as \(what)"
    }
  }
}

/// One parameter of a block or a section, declared once: YAML key, type, default, range,
/// doc. The checker, the schema and `explain` all read this declaration.
public struct ParamDecl: Sendable, Hashable {
  /// The YAML key (`snake_case`).
  public var key: String
  public var type: ParamType
  public var defaultValue: ParamDefault
  /// For numbers: where the value must lie.
  public var range: ParamRange?
  /// Whether `null` (or `none`) is an accepted value meaning "unset".
  public var isNullable: Bool
  /// One line: what the parameter does.
  public var doc: String
  /// Values that only some run kinds implement (`only(_:when:help:)`); empty when every
  /// value runs wherever the block does.
  public var valueSupport: [ValueSupport] = []

  public init(_ key: String, _ type: ParamType, default defaultValue: ParamDefault, range: ParamRange? = nil,
              nullable: Bool = false, doc: String) {
    self.key = key
    self.type = type
    self.defaultValue = defaultValue
    self.range = range
    self.isNullable = nullable || defaultValue == .absent
    self.doc = doc
  }

  /// Whether a recipe must set it.
  public var isRequired: Bool { defaultValue == .required }

  /// A boolean with its default.
  public static func bool(_ key: String, _ value: Bool, _ doc: String) -> ParamDecl {
    ParamDecl(key, .bool, default: .value(.bool(value)), doc: doc)
  }

  /// An integer; `nil` default means required.
  public static func int(_ key: String, _ value: Int?, _ range: ParamRange? = nil, _ doc: String) -> ParamDecl {
    ParamDecl(key, .int, default: value.map { .value(.int($0)) } ?? .required, range: range, doc: doc)
  }

  /// A number; `nil` default means required.
  public static func float(_ key: String, _ value: Double?, _ range: ParamRange? = nil, _ doc: String) -> ParamDecl {
    ParamDecl(key, .float, default: value.map { .value(.float($0)) } ?? .required, range: range, doc: doc)
  }

  /// One of `choices`, with a default among them.
  public static func choice(_ key: String, _ choices: [String], _ value: String, _ doc: String) -> ParamDecl {
    ParamDecl(key, .choice(choices), default: .value(.string(value)), doc: doc)
  }

  /// A string; `nil` default means required.
  public static func string(_ key: String, _ value: String?, _ doc: String) -> ParamDecl {
    ParamDecl(key, .string, default: value.map { .value(.string($0)) } ?? .required, doc: doc)
  }
}
