/// The countdown answer language: integers, `+ - * /` and parentheses, spaces ignored.
///
///     expr   = term   { ("+" | "-") term }
///     term   = factor { ("*" | "/") factor }
///     factor = number | "(" expr ")"
///     number = digit { digit }          // no sign, no leading zero
///
/// Evaluated exactly in rationals: `/` is true division, so non-integer intermediates are
/// allowed (`(7/2)*4` is 14); dividing by zero, an overflow, nesting deeper than 32, a number
/// with more than 6 digits or any other character makes the expression invalid. Parsing never
/// traps: every input is either a value with the numbers it used, or `nil`.
enum CountdownExpression {
  /// A parsed expression: its exact value and the numbers it used, in order.
  struct Evaluation: Equatable {
    var value: Rational
    var numbers: [Int]
  }

  /// The value of `text` and the numbers it used, or nil when it is not a valid expression.
  static func evaluate(_ text: String) -> Evaluation? {
    var parser = Parser(characters: Array(text).filter { $0 != " " })
    guard let value = parser.expression(depth: 0), parser.position == parser.characters.count else { return nil }
    return Evaluation(value: value, numbers: parser.numbers)
  }

  private struct Parser {
    let characters: [Character]
    var position = 0
    var numbers: [Int] = []

    private var next: Character? { position < characters.count ? characters[position] : nil }

    mutating func expression(depth: Int) -> Rational? {
      guard depth <= 32, var value = term(depth: depth) else { return nil }
      while let operation = next, operation == "+" || operation == "-" {
        position += 1
        guard let right = term(depth: depth), let combined = operation == "+" ? value + right : value - right else { return nil }
        value = combined
      }
      return value
    }

    private mutating func term(depth: Int) -> Rational? {
      guard var value = factor(depth: depth) else { return nil }
      while let operation = next, operation == "*" || operation == "/" {
        position += 1
        guard let right = factor(depth: depth), let combined = operation == "*" ? value * right : value / right else { return nil }
        value = combined
      }
      return value
    }

    private mutating func factor(depth: Int) -> Rational? {
      guard let character = next else { return nil }
      if character == "(" {
        position += 1
        guard let value = expression(depth: depth + 1), next == ")" else { return nil }
        position += 1
        return value
      }
      var digits = ""
      while let digit = next, digit.isASCII, digit.isNumber {
        digits.append(digit)
        position += 1
      }
      guard (1...6).contains(digits.count), digits == "0" || digits.first != "0", let number = Int(digits) else { return nil }
      numbers.append(number)
      return Rational(number)
    }
  }
}
