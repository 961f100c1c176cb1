import Expr

/// A parameter's value as declared or resolved: scalars stay typed, lists keep their items.
public indirect enum ParamValue: Sendable, Hashable, CustomStringConvertible {
  case bool(Bool)
  case int(Int)
  case float(Double)
  case string(String)
  case list([ParamValue])
  case null

  /// How a default prints in docs, the schema and `explain`: `0.2`, `true`, `token_mean`, `[0.9, 0.99]`.
  public var description: String {
    switch self {
    case .bool(let b): String(b)
    case .int(let i): String(i)
    case .float(let x): ParamRange.format(x)
    case .string(let s): s
    case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .null: "null"
    }
  }

  /// The number, for an int or a float.
  public var number: Double? {
    switch self {
    case .int(let i): Double(i)
    case .float(let x): x
    default: nil
    }
  }
}

/// The type a parameter's value must have; the checker types YAML scalars by it.
public indirect enum ParamType: Sendable, Hashable, CustomStringConvertible {
  case bool
  case int
  case float
  case string
  /// One of a closed set of words (`token_mean`, `k3`, …).
  case choice([String])
  /// A YAML sequence of items of one type, of exactly `count` items when given.
  case list(ParamType, count: Int?)
  /// A nested mapping with its own declared keys (`kl.adaptive`, `policy.warm_start.sft`).
  case record([ParamDecl])
  /// A formula of the expression language, checked in the given context.
  case expression(ExprContext)
  /// A list of one-key mappings naming blocks of a kind (`advantage.then`).
  case blockList(BlockKind)

  /// Whether a value of this type is one `ParamValue` (records, formulas and block lists
  /// are checked in place).
  public var isScalarOrList: Bool {
    switch self {
    case .record, .expression, .blockList: false
    default: true
    }
  }

  /// Names the type in messages: `a number`, `one of 'k1', 'k2'`, `a list of 2 numbers`.
  public var description: String {
    switch self {
    case .bool: "true or false"
    case .int: "an integer"
    case .float: "a number"
    case .string: "a string"
    case .choice(let words): "one of " + words.map { "'\($0)'" }.joined(separator: ", ")
    case .list(let item, let count?): "a list of \(count) \(item.plural)"
    case .list(let item, nil): "a list of \(item.plural)"
    case .record: "a mapping"
    case .expression: "an expression"
    case .blockList(let kind): "a list of \(kind.plural)"
    }
  }

  private var plural: String {
    switch self {
    case .int: "integers"
    case .float: "numbers"
    case .string: "strings"
    case .bool: "booleans"
    default: "items (\(self))"
    }
  }

  /// Whether values of this type are numbers (and so schedulable and range-checked).
  public var isNumeric: Bool { self == .int || self == .float }
}
