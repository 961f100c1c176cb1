import Diagnostics

/// A YAML node of a recipe with the exact span of its text: scalars stay text until the
/// checker types them by the parameter's declaration.
public struct YAMLNode: Sendable, Hashable {
  /// How a scalar was written; a quoted `"1e-4"` is a string even though it looks like a number.
  public enum ScalarStyle: Sendable, Hashable { case plain, singleQuoted, doubleQuoted, literal, folded }

  /// One `key: value` pair of a mapping.
  public struct Entry: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
      self.key = key
      self.value = value
    }
  }

  /// A scalar (text and how it was quoted), a mapping, or a sequence.
  public indirect enum Kind: Sendable, Hashable {
    case scalar(String, ScalarStyle)
    case mapping([Entry])
    case sequence([YAMLNode])
  }

  public var kind: Kind
  public var span: SourceSpan
  /// The place whose value this node replaced while composing (a parent recipe's value, or
  /// the file's value for a `--set`).
  public var overrode: SourceSpan?

  public init(_ kind: Kind, span: SourceSpan, overrode: SourceSpan? = nil) {
    self.kind = kind
    self.span = span
    self.overrode = overrode
  }

  /// The text of a scalar.
  public var scalar: String? {
    if case .scalar(let text, _) = kind { return text }
    return nil
  }

  /// The style of a scalar.
  public var style: ScalarStyle? {
    if case .scalar(_, let style) = kind { return style }
    return nil
  }

  /// The entries of a mapping.
  public var entries: [Entry]? {
    if case .mapping(let entries) = kind { return entries }
    return nil
  }

  /// The items of a sequence.
  public var items: [YAMLNode]? {
    if case .sequence(let items) = kind { return items }
    return nil
  }

  /// Whether the node means "off": YAML `null`/`~`, an empty value, or the word `none`.
  public var isNull: Bool {
    guard case .scalar(let text, .plain) = kind else { return false }
    return Self.nullWords.contains(text)
  }

  static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL", "none"]

  /// The value of the entry whose key is `key`.
  public subscript(key: String) -> YAMLNode? {
    entries?.first { $0.key.scalar == key }?.value
  }

  /// What the node is, for messages: `a mapping`, `a list`, `the number 0.2`, `the string "x"`.
  public var summary: String {
    switch kind {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .scalar(let text, let style):
      if style != .plain { return "the string \"\(text.prefix(40))\"" }
      if isNull { return text == "none" ? "'none'" : "null" }
      if ScalarSyntax.boolean(text) != nil { return "the boolean \(text)" }
      if ScalarSyntax.number(text) != nil { return "the number \(text)" }
      return "'\(text.prefix(40))'"
    }
  }
}
