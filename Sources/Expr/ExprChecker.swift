import Diagnostics

/// Types an expression against the inputs of its context: names, functions, arities,
/// booleans vs numbers, and axes (reducing over an axis the value lacks is an error at the
/// axis name's column).
public struct ExprChecker {
  public let context: ExprContext
  public let source: ExprSource
  private var diagnostics: [Diagnostic] = []

  /// Parses and checks `source`: the typed tree when there are no errors, and the findings.
  public static func check(_ source: ExprSource, in context: ExprContext) -> (expr: TypedExpr?, diagnostics: [Diagnostic]) {
    switch ExprParser.parse(source) {
    case .failure(let diagnostic): return (nil, [diagnostic])
    case .success(let node):
      var checker = ExprChecker(context: context, source: source)
      let typed = checker.check(node)
      guard let typed, checker.diagnostics.isEmpty else { return (nil, checker.diagnostics) }
      if typed.type.element == ExprType.Element.boolean {
        return (nil, [Diagnostic(.error, .exprType, "the \(context.rawValue) expression is a comparison; expected a number",
                                 at: source.span(of: typed.range), help: ["use 'where(condition, a, b)' to choose between numbers"])])
      }
      return (typed, [])
    }
  }

  private init(context: ExprContext, source: ExprSource) {
    self.context = context
    self.source = source
  }

  private mutating func error(_ code: DiagnosticCode, _ message: String, _ range: Range<Int>, help: [String] = [],
                              notes: [String] = [], suggestion: String? = nil) {
    diagnostics.append(Diagnostic(.error, code, message, at: source.span(of: range), notes: notes, help: help, suggestion: suggestion))
  }

  private mutating func check(_ node: ExprNode) -> TypedExpr? {
    switch node.kind {
    case .number(let value):
      return TypedExpr(.constant(value), type: .number(), range: node.range)
    case .name(let name):
      if let type = context.inputs[name] { return TypedExpr(.input(name), type: type, range: node.range) }
      let inputs = context.inputs.keys
      if let function = ExprFunction(rawValue: name) {
        error(.unknownName, "'\(name)' is a function; call it as \(function.signature)", node.range)
      } else if let near = Suggestions.closest(to: name, among: inputs) {
        error(.unknownName, "unknown name '\(name)' in the \(context.rawValue) expression; did you mean '\(near)'?", node.range, suggestion: near)
      } else {
        error(.unknownName, "unknown name '\(name)' in the \(context.rawValue) expression", node.range,
              notes: ["the \(context.rawValue) expression can read \(Suggestions.list(inputs))"])
      }
      return nil
    case .unary(_, let operand):
      guard let x = check(operand), number(x, "'-'") else { return nil }
      return TypedExpr(.elementwise(.negate, [x]), type: x.type, range: node.range)
    case .binary(let op, let lhs, let rhs):
      let a = check(lhs), b = check(rhs)
      guard let a, let b, number(a, "'\(op.rawValue)'"), number(b, "'\(op.rawValue)'") else { return nil }
      let element: ExprType.Element = op.isComparison ? .boolean : .number
      return TypedExpr(.elementwise(Self.elementwise(op), [a, b]), type: ExprType(element, axes: a.type.axes.union(b.type.axes)), range: node.range)
    case .call(let name, let nameRange, let arguments):
      return call(name, nameRange: nameRange, arguments: arguments, range: node.range)
    }
  }

  /// Whether `x` is a number; reports an `expr-type` error when it is a comparison.
  private mutating func number(_ x: TypedExpr, _ user: String) -> Bool {
    guard x.type.element == .boolean else { return true }
    error(.exprType, "\(user) needs a number, but this is a comparison", x.range, help: ["use 'where(condition, a, b)' to turn a comparison into numbers"])
    return false
  }

  private mutating func call(_ name: String, nameRange: Range<Int>, arguments: [ExprNode.Argument], range: Range<Int>) -> TypedExpr? {
    guard let function = ExprFunction(rawValue: name) else {
      let names = ExprFunction.allCases.map(\.rawValue)
      if let near = Suggestions.closest(to: name, among: names) {
        error(.unknownFunction, "unknown function '\(name)'; did you mean '\(near)'?", nameRange, suggestion: near)
      } else {
        error(.unknownFunction, "unknown function '\(name)'", nameRange, notes: ["the functions are \(Suggestions.list(names))"])
      }
      return nil
    }
    var positional: [ExprNode] = []
    var over: ExprNode?
    for argument in arguments {
      guard let label = argument.label else { positional.append(argument.value); continue }
      if label == "over", function.canReduce, over == nil {
        over = argument.value
      } else {
        let message = function.canReduce ? "'\(name)' takes no argument '\(label)'; did you mean 'over'?" : "'\(name)' takes no argument '\(label)'"
        error(.unknownArgument, message, argument.labelRange ?? range, notes: ["write \(function.signature)"])
        return nil
      }
    }
    let expected: ClosedRange<Int> = switch function {
    case _ where over != nil || function.mustReduce: 1...1
    case .min, .max: 2...2
    case .clip, .where: 3...3
    default: 1...1
    }
    guard expected.contains(positional.count) else {
      let count = "\(positional.count)"
      let wanted = expected.lowerBound == 1 ? "1 argument" : "\(expected.lowerBound) arguments"
      error(.wrongArity, "'\(name)' takes \(wanted), got \(count)", range, notes: ["write \(function.signature)"])
      return nil
    }
    if function.mustReduce && over == nil {
      error(.missingAxis, "'\(name)' needs an axis to reduce over", range, help: ["write \(name)(x, over: group); the axes are 'batch', 'group', 'token'"])
      return nil
    }
    let operands = positional.map { check($0) }
    let checked = operands.compactMap { $0 }
    guard checked.count == operands.count else { return nil }
    if let over {
      return reduction(function, checked[0], over: over, range: range)
    }
    let numbers = function == .where ? Array(checked.dropFirst()) : checked
    for operand in numbers where !number(operand, "'\(name)'") { return nil }
    if function == .where, checked[0].type.element != .boolean {
      error(.exprType, "the condition of 'where' must be a comparison", checked[0].range, help: ["e.g. where(adv > 0, a, b)"])
      return nil
    }
    let axes = checked.reduce(into: Set<Axis>()) { $0.formUnion($1.type.axes) }
    return TypedExpr(.elementwise(Self.elementwise(function), checked), type: ExprType(.number, axes: axes), range: range)
  }

  private mutating func reduction(_ function: ExprFunction, _ x: TypedExpr, over: ExprNode, range: Range<Int>) -> TypedExpr? {
    guard case .name(let spelling) = over.kind else {
      error(.unknownAxis, "'over:' takes an axis name", over.range, notes: ["the axes are 'batch', 'group', 'token'"])
      return nil
    }
    guard let axis = Axis(spelling: spelling) else {
      if let near = Suggestions.closest(to: spelling, among: Axis.spellings) {
        error(.unknownAxis, "unknown axis '\(spelling)'; did you mean '\(near)'?", over.range, suggestion: near)
      } else {
        error(.unknownAxis, "unknown axis '\(spelling)'", over.range, notes: ["the axes are 'batch', 'group', 'token'"])
      }
      return nil
    }
    guard number(x, "'\(function.rawValue)'") else { return nil }
    guard x.type.axes.contains(axis) else {
      let what = Self.describe(x, in: source.text)
      error(.axisMismatch, "cannot reduce \(what) over '\(spelling)': it has axes \(x.type.axesDescription)", over.range,
            notes: x.type.axes.isEmpty ? ["a constant has no axes to reduce"] : [])
      return nil
    }
    var axes = x.type.axes
    axes.remove(axis)
    let reduction: TypedExpr.Reduction = switch function {
    case .sum: .sum
    case .std: .std
    case .min: .min
    case .max: .max
    default: .mean
    }
    return TypedExpr(.reduce(reduction, x, over: axis), type: ExprType(.number, axes: axes), range: range)
  }

  /// `'reward'` for a name, `the value` for anything longer.
  private static func describe(_ x: TypedExpr, in text: String) -> String {
    if case .input(let name) = x.kind { return "'\(name)'" }
    let scalars = Array(text.unicodeScalars)
    guard x.range.upperBound <= scalars.count, x.range.count <= 40 else { return "the value" }
    return "'" + String(String.UnicodeScalarView(scalars[x.range])) + "'"
  }

  private static func elementwise(_ op: ExprNode.BinaryOperator) -> TypedExpr.Elementwise {
    switch op {
    case .add: .add
    case .subtract: .subtract
    case .multiply: .multiply
    case .divide: .divide
    case .less: .less
    case .lessOrEqual: .lessOrEqual
    case .greater: .greater
    case .greaterOrEqual: .greaterOrEqual
    case .equal: .equal
    case .notEqual: .notEqual
    }
  }

  private static func elementwise(_ function: ExprFunction) -> TypedExpr.Elementwise {
    switch function {
    case .exp: .exp
    case .log: .log
    case .abs: .abs
    case .sqrt: .sqrt
    case .sg: .stopGradient
    case .min: .minimum
    case .max: .maximum
    case .clip: .clip
    case .where: .select
    case .mean, .sum, .std: .add  // NOTE: unreachable; these always take `over:` and reduce
    }
  }
}
