import Blocks

extension BlockCatalog {
  /// One block in full: what it is, its formula, every parameter with type, default,
  /// range or choices and doc, its papers, and where it goes in a recipe.
  public func text(for block: BlockDecl) -> String {
    var out = "\(block.path) — \(block.kind.noun)\n\(block.summary)\n"
    if let formula = block.formula {
      out += "\nformula\n" + formula.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)\n" }.joined()
    }
    out += "\nparameters\n"
    out += block.params.isEmpty ? "  none\n" : Self.describe(block.params, prefix: "")
    if !block.papers.isEmpty {
      out += "\npapers\n" + block.papers.map { "  \($0.citation)\n" }.joined()
    }
    out += "\nwhere it runs\n  \(block.support.summary)\n"
    for param in block.params {
      for restriction in param.valueSupport {
        out += "  \(restriction.match.summary(key: param.key)): \(restriction.support.summary)\n"
      }
    }
    out += "\nwhere it applies\n"
    out += Self.placement(of: block).map { "  \($0)\n" }.joined()
    let recipes = users()[block.name] ?? []
    out += "  built-in recipes: " + (recipes.isEmpty ? "none" : recipes.joined(separator: ", ")) + "\n"
    return out
  }

  /// `low: float = 0.2, in [0, 1)` and the doc on the next line; records nest.
  static func describe(_ params: [ParamDecl], prefix: String) -> String {
    var out = ""
    for param in params {
      let key = prefix + param.key
      var line = "  \(key): \(param.type.shortName)"
      switch param.defaultValue {
      case .value(let value): line += " = \(value.flow)"
      case .required: line += ", required"
      case .absent: line += " = null"
      case .derived(let what): line += " = same as \(what)"
      }
      if let range = param.range {
        line += ", " + (range.lower != nil && range.upper != nil ? "in \(range)" : "\(range)")
      }
      out += line + "\n      \(param.doc)\n"
      if case .record(let nested) = param.type { out += describe(nested, prefix: key + ".") }
    }
    return out
  }

  /// How a recipe names the block, and what its absence means.
  static func placement(of block: BlockDecl) -> [String] {
    let section = block.section.rawValue
    switch block.kind {
    case .modifier:
      return ["advantage: {<estimator>: {...}, then: [{\(block.name): {}}]}   (applied in order after the estimator)"]
    case .schedule:
      return ["schedule: {<parameter path>: {\(block.name): {...}}}   (e.g. lr, objective.kl.coef)"]
    case .slot where block.shortForm != nil:
      let mode = block.param(block.shortForm ?? "")?.defaultValue.summary ?? ""
      return ["\(section): {\(block.name): <\(block.shortForm ?? "")>} or {\(block.name): {\(block.shortForm ?? ""): ..., ...}}   (absent means \(mode))"]
    case .slot:
      return ["\(section): {\(block.name): {...}}   (\(block.noun); absent or none means off)"]
    case .structural:
      return ["\(section): {\(block.name): {...}}   (replaces the clipped surrogate: no ratio, clip or cispo beside it)"]
    case .preference:
      return ["\(section): {\(block.name): {...}}   (the whole objective: no policy-gradient slots beside it)"]
    case .rewardTerm, .filter:
      return ["\(section): {\(block.name): {...}}   (\(block.noun); several may be listed)"]
    default:
      return ["\(section): {\(block.name): {...}}   (\(block.noun); the section takes one)"]
    }
  }
}

extension BlockDecl {
  /// `a preference loss` — the kind's noun, for placement notes.
  var noun: String { kind.noun }
}

extension ParamType {
  /// `float`, `k1 | k2 | k3`, `[float, float]`, `mapping`: the type as `blocks` prints it.
  var shortName: String {
    switch self {
    case .bool: "bool"
    case .int: "int"
    case .float: "float"
    case .string: "string"
    case .choice(let words): words.joined(separator: " | ")
    case .list(let item, let count?): "[" + Array(repeating: item.shortName, count: count).joined(separator: ", ") + "]"
    case .list(let item, nil): "[\(item.shortName), ...]"
    case .record: "mapping"
    case .expression: "expression"
    case .blockList(let kind): "[\(kind.plural)]"
    }
  }
}
