/// The three kinds of `porecipe run`, decided by the recipe's task: an environment task
/// trains an MLP actor-critic on rollouts of environment steps; a token task trains a
/// transformer on sampled responses; a preference dataset (or a token task whose objective
/// is a preference loss: online pairs) trains a preference loss on pairs.
public enum RunKind: String, Sendable, Hashable, CaseIterable {
  case environment, token, preference

  /// `environment runs`, as diagnostics and `porecipe blocks` say it.
  public var noun: String { "\(rawValue) runs" }

  /// The kind a task of `kind` trains; `isPreferenceLoss` says whether the objective is a
  /// preference loss (a token task then trains on online pairs). Nil for blocks that are
  /// not tasks.
  public static func of(task kind: BlockKind, isPreferenceLoss: Bool) -> RunKind? {
    switch kind {
    case .environmentTask: .environment
    case .tokenTask: isPreferenceLoss ? .preference : .token
    case .preferenceTask: .preference
    default: nil
    }
  }
}

/// Where a block, or one value of a parameter, is implemented: the run kinds that train it
/// and whether `porecipe eval` computes it. The checker reports `not-implemented` at the
/// block's (or value's) line for a recipe whose run kind is not in it, so `run` never
/// refuses what `check` passed; `porecipe blocks` prints it.
public struct Support: OptionSet, Sendable, Hashable {
  public let rawValue: UInt8
  public init(rawValue: UInt8) { self.rawValue = rawValue }

  public static let environment = Support(rawValue: 1 << 0)
  public static let token = Support(rawValue: 1 << 1)
  public static let preference = Support(rawValue: 1 << 2)
  /// `porecipe eval` computes it (advantage and objective blocks).
  public static let eval = Support(rawValue: 1 << 3)

  /// Declared, but implemented nowhere yet.
  public static let nowhere: Support = []
  /// Every run kind and eval.
  public static let everywhere: Support = [.environment, .token, .preference, .eval]

  /// The support of one run kind.
  public init(_ kind: RunKind) {
    switch kind {
    case .environment: self = .environment
    case .token: self = .token
    case .preference: self = .preference
    }
  }

  /// Whether runs of `kind` implement it.
  public func contains(_ kind: RunKind) -> Bool { contains(Support(kind)) }

  /// The run kinds in it, in `RunKind` order.
  public var runKinds: [RunKind] { RunKind.allCases.filter { contains($0) } }

  /// `environment and token runs, eval`, or `nowhere yet`.
  public var summary: String {
    let kinds = runKinds.map(\.rawValue)
    var parts: [String] = []
    if !kinds.isEmpty {
      parts.append(kinds.count == 1 ? "\(kinds[0]) runs" : kinds.dropLast().joined(separator: ", ") + " and \(kinds.last ?? "") runs")
    }
    if contains(.eval) { parts.append("eval") }
    return parts.isEmpty ? "nowhere yet" : parts.joined(separator: ", ")
  }
}

/// A value of a parameter that only some run kinds implement, with the reason: e.g.
/// `objective.kl.estimator: full` needs whole distributions that only `eval` is given.
public struct ValueSupport: Sendable, Hashable {
  /// Which values the restriction covers.
  public enum Match: Sendable, Hashable {
    /// Exactly this value.
    case equals(ParamValue)
    /// Any value but `null` (a nullable parameter switched on).
    case set
    /// Any value but this one.
    case otherThan(ParamValue)

    /// Whether `value` is covered.
    public func matches(_ value: ParamValue) -> Bool {
      switch self {
      case .equals(let v): Self.same(value, v)
      case .set: value != .null
      case .otherThan(let v): !Self.same(value, v) && value != .null
      }
    }

    /// Equal values, numbers compared as numbers (`0` and `0.0` are the same dropout).
    private static func same(_ a: ParamValue, _ b: ParamValue) -> Bool {
      if let x = a.number, let y = b.number { return x == y }
      return a == b
    }

    /// What the restriction covers, for the parameter `key`: `'full'`, `setting 'dual'`,
    /// `'dropout' other than 0`.
    public func summary(key: String) -> String {
      switch self {
      case .equals(let v): "'\(v)'"
      case .set: "setting '\(key)'"
      case .otherThan(let v): "'\(key)' other than \(v)"
      }
    }
  }

  public var match: Match
  /// Where such a value is implemented.
  public var support: Support
  /// Why, or what to write instead (a diagnostic's help line).
  public var help: String

  public init(_ match: Match, in support: Support, help: String) {
    self.match = match
    self.support = support
    self.help = help
  }
}

extension ParamDecl {
  /// This parameter with values matching `match` implemented only in `support`.
  public func only(_ support: Support, when match: ValueSupport.Match, help: String) -> ParamDecl {
    var copy = self
    copy.valueSupport.append(ValueSupport(match, in: support, help: help))
    return copy
  }

  /// The restriction that covers `value`, if any.
  public func restriction(of value: ParamValue) -> ValueSupport? { valueSupport.first { $0.match.matches(value) } }
}
