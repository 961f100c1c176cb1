/// A token of the expression language, with its character range.
struct ExprToken: Sendable, Equatable {
  enum Kind: Sendable, Equatable {
    case number(Double)
    case identifier(String)
    case symbol(String)  // + - * / ( ) , : < <= > >= == !=
    case end
  }

  var kind: Kind
  var range: Range<Int>
}

/// A lexing failure: what was found and where.
struct ExprSyntaxError: Error, Sendable {
  var message: String
  var range: Range<Int>
  var help: [String] = []
  /// A related place, e.g. the `(` that an error leaves unclosed.
  var related: (range: Range<Int>, message: String)?
}

/// Splits expression text into tokens (whitespace separates and is dropped).
enum ExprLexer {
  private static let symbols: [String] = ["<=", ">=", "==", "!=", "+", "-", "*", "/", "(", ")", ",", ":", "<", ">"]

  static func tokens(of text: String) throws(ExprSyntaxError) -> [ExprToken] {
    let scalars = Array(text.unicodeScalars)
    var tokens: [ExprToken] = []
    var i = 0
    func isDigit(_ k: Int) -> Bool { k < scalars.count && ("0"..."9").contains(scalars[k]) }
    func isIdentifierStart(_ s: Unicode.Scalar) -> Bool { s == "_" || ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
    while i < scalars.count {
      let s = scalars[i]
      if s == " " || s == "\t" || s == "\n" || s == "\r" { i += 1; continue }
      let start = i
      if isDigit(i) || (s == "." && isDigit(i + 1)) {
        while isDigit(i) { i += 1 }
        if i < scalars.count, scalars[i] == "." { i += 1; while isDigit(i) { i += 1 } }
        if i < scalars.count, scalars[i] == "e" || scalars[i] == "E" {
          var k = i + 1
          if k < scalars.count, scalars[k] == "+" || scalars[k] == "-" { k += 1 }
          if isDigit(k) { i = k; while isDigit(i) { i += 1 } }
        }
        let spelling = String(String.UnicodeScalarView(scalars[start..<i]))
        guard let value = Double(spelling) else {
          throw ExprSyntaxError(message: "'\(spelling)' is not a number", range: start..<i)
        }
        if i < scalars.count, isIdentifierStart(scalars[i]) || scalars[i] == "." {
          var k = i
          while k < scalars.count, isIdentifierStart(scalars[k]) || isDigit(k) || scalars[k] == "." { k += 1 }
          let whole = String(String.UnicodeScalarView(scalars[start..<k]))
          throw ExprSyntaxError(message: "'\(whole)' is not a number", range: start..<k)
        }
        tokens.append(ExprToken(kind: .number(value), range: start..<i))
      } else if isIdentifierStart(s) {
        while i < scalars.count, isIdentifierStart(scalars[i]) || isDigit(i) { i += 1 }
        tokens.append(ExprToken(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<i]))), range: start..<i))
      } else if let symbol = symbols.first(where: { matches($0, scalars, at: i) }) {
        i += symbol.unicodeScalars.count
        tokens.append(ExprToken(kind: .symbol(symbol), range: start..<i))
      } else {
        var help: [String] = []
        if s == "^" || (s == "*" ) { help = ["there is no power operator; write 'x * x', or 'exp(y * log(x))'"] }
        if s == "=" { help = ["compare with '=='"] }
        throw ExprSyntaxError(message: "unexpected character '\(s.escaped(asASCII: false))' in expression", range: start..<(start + 1), help: help)
      }
    }
    tokens.append(ExprToken(kind: .end, range: scalars.count..<scalars.count))
    return tokens
  }

  private static func matches(_ symbol: String, _ scalars: [Unicode.Scalar], at i: Int) -> Bool {
    let s = Array(symbol.unicodeScalars)
    guard i + s.count <= scalars.count else { return false }
    return Array(scalars[i..<(i + s.count)]) == s
  }
}
