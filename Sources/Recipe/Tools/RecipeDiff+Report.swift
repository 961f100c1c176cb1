import Blocks
import Diagnostics


extension RecipeDiff {
  /// The library side of `porecipe diff A B`: 0 when the recipes resolve to the same
  /// method (`no differences`), 1 when they differ or either has errors (printed as
  /// `check` prints them), 2 when one cannot be read.
  public static func run(_ a: String, _ b: String, format: ReportFormat = .text, colored: Bool = false,
                         registry: BlockRegistry = .standard) -> ToolReport {
    var tools = ToolLoader(registry: registry, colored: colored, json: format == .json)
    switch tools.load([a, b]) {
    case .stopped(let report):
      return report
    case .loaded(let recipes, let warnings):
      guard recipes.count == 2, let resolvedA = recipes[0].resolved(registry: registry),
            let resolvedB = recipes[1].resolved(registry: registry) else {
        return ToolReport(output: "internal error: recipes without errors did not resolve (please report)\n", exitCode: 1)
      }
      if format == .json {
        let diff = RecipeDiff(resolvedA, resolvedB, registry: registry)
        return ToolReport(output: diff.json(a: a, b: b).pretty, messages: warnings, exitCode: diff.isEmpty ? 0 : 1)
      }
      // The text reads as a paper's list of changes — from the parent to the recipe that
      // extends it — in whichever order the two were named (`diff dpo simpo` = `diff simpo dpo`).
      let flipped = extends(resolvedB, resolvedA) && !extends(resolvedA, resolvedB)
      let diff = flipped ? RecipeDiff(resolvedB, resolvedA, registry: registry) : RecipeDiff(resolvedA, resolvedB, registry: registry)
      let output = flipped ? diff.text(a: b, b: a, registry: registry) : diff.text(a: a, b: b, registry: registry)
      return ToolReport(output: output, messages: warnings, exitCode: diff.isEmpty ? 0 : 1)
    }
  }

  /// Whether `child`'s `extends` chain passes through `parent`'s file.
  static func extends(_ child: ResolvedRecipe, _ parent: ResolvedRecipe) -> Bool {
    child.chain.dropFirst().contains(parent.file)
  }

  /// `dapo is grpo with 8 changes:` and one line per change, grouped by section.
  public func text(a: String, b: String, registry: BlockRegistry = .standard) -> String {
    guard !isEmpty else { return "no differences\n" }
    var out = "\(a) is \(b) with \(changes.count) change\(changes.count == 1 ? "" : "s"):\n"
    var section: Section?
    for change in changes {
      if change.section != section {
        section = change.section
        out += change.section.rawValue + "\n"
      }
      out += "  " + change.line(registry: registry) + "\n"
    }
    return out
  }

  /// `{"a": ..., "b": ..., "equal": ..., "changes": [...]}`; `added` means in A only.
  public func json(a: String, b: String) -> JSONValue {
    .object([("a", .string(a)), ("b", .string(b)), ("equal", .bool(isEmpty)), ("changes", .array(changes.map(\.json)))])
  }
}

extension RecipeDiff.Change {
  /// `objective.clip.high 0.2 → 0.28`, `objective.kl removed`, `advantage group_norm → rloo`.
  func line(registry: BlockRegistry) -> String {
    switch self {
    case .changed(let path, let a, let b):
      "\(Self.display(path, registry: registry)) \(b.text) → \(a.text)"
    case .added(let path, let written):
      "\(path) added" + (written.isEmpty ? "" : " " + flowMapping(written, under: path))
    case .removed(let path, _):
      "\(path) removed"
    case .replaced(let section, let a, let b, let written):
      "\(section.rawValue) \(b) → \(a)" + (written.isEmpty ? "" : " " + flowMapping(written, under: "\(section.rawValue).\(a)"))
    case .lossReplaced(let a, let b, let written, let aspects):
      "objective \(b) → \(a)" + (written.isEmpty ? "" : " " + flowMapping(written, under: "objective.\(a)"))
        + aspects.map { "\n    \($0.aspect): \($0.b) → \($0.a)" }.joined()
    case .valueAdded(let entry):
      "\(Self.display(entry.path, registry: registry)) added \(entry.text)"
    case .valueRemoved(let entry):
      "\(Self.display(entry.path, registry: registry)) removed (was \(entry.text))"
    }
  }

  /// A block's short-form parameter reads as the block: `objective.aggregate`, not `objective.aggregate.mode`.
  static func display(_ path: String, registry: BlockRegistry) -> String {
    let parts = path.split(separator: ".")
    guard parts.count == 3, let decl = registry.block(named: String(parts[1])), decl.section.rawValue == parts[0],
          decl.shortForm == String(parts[2]) else { return path }
    return decl.path
  }

  var json: JSONValue {
    let members: [(String, JSONValue)]
    switch self {
    case .changed(let path, let a, let b):
      members = [("change", .string("changed")), ("path", .string(path)), ("a", a.json), ("b", b.json)]
    case .added(let path, let written):
      members = [("change", .string("added")), ("path", .string(path)), ("a", written.json(under: path))]
    case .removed(let path, let written):
      members = [("change", .string("removed")), ("path", .string(path)), ("b", written.json(under: path))]
    case .replaced(let section, let a, let b, let written):
      members = [("change", .string("replaced")), ("path", .string(section.rawValue)), ("a", .string(a)), ("b", .string(b)),
                 ("params", written.json(under: "\(section.rawValue).\(a)"))]
    case .lossReplaced(let a, let b, let written, let aspects):
      let changes = aspects.map { JSONValue.object([("aspect", .string($0.aspect)), ("a", .string($0.a)), ("b", .string($0.b))]) }
      members = [("change", .string("replaced")), ("path", .string("objective")), ("a", .string(a)), ("b", .string(b)),
                 ("params", written.json(under: "objective.\(a)")), ("aspects", .array(changes))]
    case .valueAdded(let entry):
      members = [("change", .string("added")), ("path", .string(entry.path)), ("a", entry.json)]
    case .valueRemoved(let entry):
      members = [("change", .string("removed")), ("path", .string(entry.path)), ("b", entry.json)]
    }
    return .object([("section", .string(section.rawValue))] + members)
  }
}

extension ResolvedRecipe.Entry {
  /// The value as the tools print it; a default that follows an unset value names it.
  public var text: String {
    if let value { return value.flow }
    if case .derived(let path) = origin { return "(same as \(path))" }
    return "null"
  }

  var json: JSONValue { value.map(\.json) ?? .null }
}

extension [ResolvedRecipe.Entry] {
  func json(under prefix: String) -> JSONValue {
    .object(compactMap { entry in entry.value.map { (String(entry.path.dropFirst(prefix.count + 1)), $0.json) } })
  }
}

extension ParamValue {
  /// The value as JSON.
  public var json: JSONValue {
    switch self {
    case .bool(let b): .bool(b)
    case .int(let i): .int(i)
    case .float(let x): .number(x)
    case .string(let s): .string(s)
    case .list(let items): .array(items.map(\.json))
    case .null: .null
    }
  }
}
