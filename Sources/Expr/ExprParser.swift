import Diagnostics

/// Parses the expression language of `Grammar/expression.ebnf` into an `ExprNode`:
///
///     expression     = comparison ;
///     comparison     = additive [ ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) additive ] ;
///     additive       = multiplicative { ( "+" | "-" ) multiplicative } ;
///     multiplicative = unary { ( "*" | "/" ) unary } ;
///     unary          = "-" unary | primary ;
///     primary        = number | name | call | "(" expression ")" ;
///     call           = name "(" [ argument { "," argument } ] ")" ;
///     argument       = [ name ":" ] expression ;
public struct ExprParser {
  /// Deeper nesting is an error rather than a stack overflow.
  public static let maximumDepth = 100

  private var tokens: [ExprToken]
  private var position = 0
  private var depth = 0

  /// Parses `source`; a syntax error becomes one `expr-syntax` diagnostic at its column.
  public static func parse(_ source: ExprSource) -> Result<ExprNode, Diagnostic> {
    do throws(ExprSyntaxError) {
      var parser = ExprParser(tokens: try ExprLexer.tokens(of: source.text))
      if case .end = parser.peek.kind {
        throw ExprSyntaxError(message: "empty expression", range: 0..<0, help: ["write a formula, e.g. 'reward - mean(reward, over: group)'"])
      }
      let node = try parser.expression()
      guard case .end = parser.peek.kind else {
        throw ExprSyntaxError(message: "unexpected \(parser.peek.spelling) after the end of the expression", range: parser.peek.range)
      }
      return .success(node)
    } catch {
      let range = error.range.isEmpty ? error.range.lowerBound..<(error.range.lowerBound + 1) : error.range
      let secondary = error.related.map { [Diagnostic.Label(span: source.span(of: $0.range), message: $0.message)] } ?? []
      return .failure(Diagnostic(.error, .exprSyntax, error.message, at: source.span(of: range), secondary: secondary, help: error.help))
    }
  }

  private init(tokens: [ExprToken]) { self.tokens = tokens }

  private var peek: ExprToken { tokens[position] }

  private mutating func advance() -> ExprToken {
    let token = tokens[position]
    if position + 1 < tokens.count { position += 1 }
    return token
  }

  private mutating func take(_ symbol: String) -> ExprToken? {
    guard case .symbol(symbol) = peek.kind else { return nil }
    return advance()
  }

  private mutating func expression() throws(ExprSyntaxError) -> ExprNode {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumDepth else {
      throw ExprSyntaxError(message: "expression nests more than \(Self.maximumDepth) levels deep", range: peek.range)
    }
    let left = try additive()
    for op in ExprNode.BinaryOperator.allCases where op.isComparison {
      if take(op.rawValue) != nil {
        let right = try additive()
        if case .symbol(let s) = peek.kind, ExprNode.BinaryOperator(rawValue: s)?.isComparison == true {
          throw ExprSyntaxError(message: "comparisons do not chain", range: peek.range, help: ["use parentheses, or 'where'"])
        }
        return ExprNode(.binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
      }
    }
    return left
  }

  private mutating func additive() throws(ExprSyntaxError) -> ExprNode {
    var left = try multiplicative()
    while let token = take("+") ?? take("-") {
      let right = try multiplicative()
      let op: ExprNode.BinaryOperator = token.kind == .symbol("+") ? .add : .subtract
      left = ExprNode(.binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
    }
    return left
  }

  private mutating func multiplicative() throws(ExprSyntaxError) -> ExprNode {
    var left = try unary()
    while let token = take("*") ?? take("/") {
      if case .symbol("*") = peek.kind {
        throw ExprSyntaxError(message: "there is no power operator '**'", range: token.range.lowerBound..<peek.range.upperBound,
                              help: ["write 'x * x', or 'exp(y * log(x))'"])
      }
      let right = try unary()
      let op: ExprNode.BinaryOperator = token.kind == .symbol("*") ? .multiply : .divide
      left = ExprNode(.binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
    }
    return left
  }

  private mutating func unary() throws(ExprSyntaxError) -> ExprNode {
    if let minus = take("-") {
      depth += 1
      defer { depth -= 1 }
      guard depth <= Self.maximumDepth else {
        throw ExprSyntaxError(message: "expression nests more than \(Self.maximumDepth) levels deep", range: minus.range)
      }
      let operand = try unary()
      return ExprNode(.unary(.negate, operand), range: minus.range.lowerBound..<operand.range.upperBound)
    }
    return try primary()
  }

  private mutating func primary() throws(ExprSyntaxError) -> ExprNode {
    let token = advance()
    switch token.kind {
    case .number(let value):
      return ExprNode(.number(value), range: token.range)
    case .identifier(let name):
      guard take("(") != nil else { return ExprNode(.name(name), range: token.range) }
      var arguments: [ExprNode.Argument] = []
      if let close = take(")") {
        return ExprNode(.call(function: name, functionRange: token.range, arguments: []), range: token.range.lowerBound..<close.range.upperBound)
      }
      repeat { arguments.append(try argument()) } while take(",") != nil
      guard let close = take(")") else {
        throw ExprSyntaxError(message: "expected ',' or ')' in the call of '\(name)', found \(peek.spelling)", range: peek.range)
      }
      return ExprNode(.call(function: name, functionRange: token.range, arguments: arguments), range: token.range.lowerBound..<close.range.upperBound)
    case .symbol("("):
      let inner = try expression()
      guard let close = take(")") else {
        throw ExprSyntaxError(message: "expected ')', found \(peek.spelling)", range: peek.range,
                              related: (token.range, "to close this '('"))
      }
      return ExprNode(inner.kind, range: token.range.lowerBound..<close.range.upperBound)
    default:
      throw ExprSyntaxError(message: "expected a number, a name or '(', found \(token.spelling)", range: token.range)
    }
  }

  private mutating func argument() throws(ExprSyntaxError) -> ExprNode.Argument {
    if case .identifier(let label) = peek.kind, case .symbol(":") = tokens[min(position + 1, tokens.count - 1)].kind {
      let labelToken = advance()
      _ = advance()
      return ExprNode.Argument(label: label, labelRange: labelToken.range, value: try expression())
    }
    return ExprNode.Argument(label: nil, labelRange: nil, value: try expression())
  }
}

extension ExprToken {
  /// How a message names the token: `'+'`, `'reward'`, `the end of the expression`.
  var spelling: String {
    switch kind {
    case .number(let x): "'\(x)'"
    case .identifier(let name): "'\(name)'"
    case .symbol(let s): "'\(s)'"
    case .end: "the end of the expression"
    }
  }
}
