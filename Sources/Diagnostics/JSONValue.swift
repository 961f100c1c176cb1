/// A JSON document written deterministically (keys in the order given, numbers in their
/// shortest form), for `--format json|sarif` and the generated recipe schema.
public indirect enum JSONValue: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  public static func == (a: JSONValue, b: JSONValue) -> Bool { a.compact == b.compact }

  /// The document on one line.
  public var compact: String {
    var out = ""
    write(into: &out, indent: nil, level: 0)
    return out
  }

  /// The document indented by two spaces per level, with a final newline.
  public var pretty: String {
    var out = ""
    write(into: &out, indent: "  ", level: 0)
    return out + "\n"
  }

  private func write(into out: inout String, indent: String?, level: Int) {
    let newline = indent == nil ? "" : "\n"
    let pad = { (n: Int) in String(repeating: indent ?? "", count: n) }
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .number(let x): out += JSONValue.format(x)
    case .string(let s): out += JSONValue.quote(s)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "[" + newline
      for (i, item) in items.enumerated() {
        out += pad(level + 1)
        item.write(into: &out, indent: indent, level: level + 1)
        out += (i + 1 < items.count ? "," : "") + newline
      }
      out += pad(level) + "]"
    case .object(let members):
      if members.isEmpty { out += "{}"; return }
      out += "{" + newline
      for (i, (key, value)) in members.enumerated() {
        out += pad(level + 1) + JSONValue.quote(key) + (indent == nil ? ":" : ": ")
        value.write(into: &out, indent: indent, level: level + 1)
        out += (i + 1 < members.count ? "," : "") + newline
      }
      out += pad(level) + "}"
    }
  }

  /// A finite number as Swift prints it (`0.2`, `1e-06`), integral values without `.0`.
  static func format(_ x: Double) -> String {
    guard x.isFinite else { return "null" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }

  /// A JSON string literal with the escapes RFC 8259 requires.
  public static func quote(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }
}
