/// How plain YAML 1.2 (core schema) scalars read, and the YAML 1.1 spellings that read
/// differently in older tools (`no`, `on`, `1_000`).
public enum ScalarSyntax {
  /// `true`/`false` in the spellings YAML 1.2 accepts.
  public static func boolean(_ text: String) -> Bool? {
    switch text {
    case "true", "True", "TRUE": true
    case "false", "False", "FALSE": false
    default: nil
    }
  }

  /// Words YAML 1.1 reads as booleans but YAML 1.2 reads as strings.
  public static func isYAML11Boolean(_ text: String) -> Bool {
    ["y", "yes", "n", "no", "on", "off"].contains(text.lowercased())
  }

  /// An integer: decimal with an optional sign, `0x…` or `0o…`.
  public static func integer(_ text: String) -> Int? {
    if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
    if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
    var digits = Substring(text)
    if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
    return Int(text.hasPrefix("+") ? String(text.dropFirst()) : text)
  }

  /// A number (YAML 1.2 core float or integer; `1e-6` included), or ±inf/nan.
  public static func number(_ text: String) -> Double? {
    if let i = integer(text) { return Double(i) }
    switch text {
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
    case "-.inf", "-.Inf", "-.INF": return -.infinity
    case ".nan", ".NaN", ".NAN": return .nan
    default: break
    }
    var s = Substring(text)
    if s.first == "+" || s.first == "-" { s = s.dropFirst() }
    var mantissaDigits = 0, sawDot = false
    var rest = s[...]
    while let c = rest.first, (c.isASCII && c.isNumber) || (c == "." && !sawDot) {
      if c == "." { sawDot = true } else { mantissaDigits += 1 }
      rest = rest.dropFirst()
    }
    guard mantissaDigits > 0 else { return nil }
    if let e = rest.first, e == "e" || e == "E" {
      rest = rest.dropFirst()
      if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
      guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
      rest = ""
    }
    guard rest.isEmpty else { return nil }
    return Double(text.hasPrefix("+") ? String(text.dropFirst()) : text)
  }
}
