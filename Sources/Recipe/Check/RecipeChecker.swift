import Blocks
import Diagnostics
import Expr

/// Checks a composed recipe against the block registry: unknown sections, blocks and keys
/// (with did-you-mean), types, ranges, one-block sections, objective kinds, expressions,
/// and the suspicious combinations of `RecipeChecker+Lints`.
public struct RecipeChecker {
  let registry: BlockRegistry
  var diagnostics: [Diagnostic] = []
  var values: [String: ResolvedValue] = [:]
  var expressions: [String: TypedExpr] = [:]
  /// Key nodes of the sections and blocks in use, by path (`objective.clip`), for the lints.
  var keys: [String: YAMLNode] = [:]
  /// Value nodes of the parameters written in the recipe, by path, for the lints.
  var nodes: [String: YAMLNode] = [:]
  /// The blocks in use (switched on), by section.
  var blocksInUse: [Section: [BlockDecl]] = [:]
  /// `advantage.then` modifiers in order, for the compiler.
  var modifiers: [UsedBlock] = []
  /// The recipe file being checked (its parents are other files).
  var rootFile = ""
  /// The texts of the recipe's files, for placing formulas inside block scalars.
  var sources = SourceFiles()
  /// Schedule keys, checked once every parameter is known.
  var pendingSchedules: [YAMLNode] = []
  /// Schedule shapes in use with their keys, for the support check.
  var scheduleShapes: [(decl: BlockDecl, key: YAMLNode)] = []
  /// Values of parameters that only some run kinds implement, for the support check.
  var restrictedValues: [(path: String, param: ParamDecl, value: ParamValue, node: YAMLNode)] = []

  public init(registry: BlockRegistry = .standard) {
    self.registry = registry
  }

  /// Loads, composes, applies `overrides` (`path=value`) and checks the recipe at `path`.
  public static func check(path: String, overrides: [String] = [], loader: inout RecipeLoader) -> CheckResult {
    var loaded = loader.load(path: path)
    Overrides(registry: loader.registry).apply(overrides, to: &loaded)
    return RecipeChecker(registry: loader.registry).check(loaded)
  }

  /// Checks a loaded recipe.
  public func check(_ loaded: LoadedRecipe) -> CheckResult {
    var checker = self
    checker.rootFile = loaded.file
    checker.sources = loaded.sources
    if let root = loaded.root, !loaded.diagnostics.contains(where: { $0.severity >= .error && $0.code != .duplicateKey && $0.code != .unknownPath }) {
      checker.checkRoot(root, file: loaded.file)
    }
    var result = CheckResult(diagnostics: Diagnostic.sortedUnique(loaded.diagnostics + checker.diagnostics),
                             values: checker.values, expressions: checker.expressions, sources: loaded.sources,
                             blocks: checker.blocksInUse)
    for section in Section.allCases {
      for decl in checker.blocksInUse[section] ?? [] {
        guard let key = checker.keys[decl.path] else { continue }
        result.usedBlocks.append(UsedBlock(name: decl.name, path: decl.path, span: key.span))
      }
    }
    result.usedBlocks += checker.modifiers
    result.keySpans = checker.keys.mapValues(\.span)
    // What checks, compiles: the objective `explain` prints and `eval` and the trainers run.
    if !result.diagnostics.contains(where: { $0.severity >= .error }), checker.keys["objective"] != nil {
      do { _ = try RecipeProgramText.program(of: result) } catch {
        result.diagnostics = Diagnostic.sortedUnique(result.diagnostics + [error.diagnostic])
      }
    }
    return result
  }

  // MARK: - Reporting

  mutating func report(_ severity: Severity, _ code: DiagnosticCode, _ message: String, at node: YAMLNode,
                       notes: [String] = [], help: [String] = [], suggestion: String? = nil,
                       secondary: [Diagnostic.Label] = []) {
    var notes = notes
    if let overrode = node.overrode {
      notes.insert(node.span.file == "<command line>" ? "set on the command line, overriding \(overrode)" : "overrides \(overrode)", at: 0)
    }
    diagnostics.append(Diagnostic(severity, code, message, at: node.span, secondary: secondary, notes: notes, help: help,
                                  suggestion: suggestion))
  }

  mutating func error(_ code: DiagnosticCode, _ message: String, at node: YAMLNode, notes: [String] = [],
                      help: [String] = [], suggestion: String? = nil) {
    report(.error, code, message, at: node, notes: notes, help: help, suggestion: suggestion)
  }

  /// "unknown X 'word' in place; did you mean 'y'?" with the candidates as a note when no
  /// single one is close.
  mutating func unknown(_ code: DiagnosticCode, _ what: String, _ key: YAMLNode, in place: String, candidates: [String],
                        accepts: String? = nil, listInOrder: Bool = false) {
    let word = key.scalar ?? ""
    let near = Suggestions.closest(to: word, among: candidates)
    // With a did-you-mean the note keeps declaration order (STYLE.md's example); without, the choices are sorted.
    let list = listInOrder && near != nil ? candidates.map { "'\($0)'" }.joined(separator: ", ") : Suggestions.list(candidates)
    let note = candidates.isEmpty ? "\(place) takes no \(what)s" : "\(place) \(accepts ?? "accepts") \(list)"
    error(code, "unknown \(what) '\(word)' in \(place)" + (near.map { "; did you mean '\($0)'?" } ?? ""), at: key,
          notes: [note], suggestion: near)
  }

  /// A label for `node` when it is in `file`, else a note naming where it is.
  func related(_ node: YAMLNode, _ message: String, primary: YAMLNode) -> (labels: [Diagnostic.Label], notes: [String]) {
    if node.span.file == primary.span.file { return ([.init(span: node.span, message: message)], []) }
    return ([], ["\(message): \(node.span)"])
  }

  /// The first of `nodes` written in the recipe being checked (so a finding about a
  /// combination points at the user's line, not a built-in parent's), else the first.
  func preferred(_ nodes: YAMLNode?...) -> YAMLNode? {
    let present = nodes.compactMap { $0 }
    return present.first { $0.span.file == rootFile } ?? present.first
  }

  // MARK: - Sections

  private mutating func checkRoot(_ root: YAMLNode, file: String) {
    guard let entries = root.entries else { return }
    for entry in entries {
      guard let name = entry.key.scalar, entry.key.entries == nil, entry.key.items == nil else {
        error(.wrongType, "section names are words, found \(entry.key.summary)", at: entry.key)
        continue
      }
      guard let section = Section(rawValue: name) else {
        if let decl = registry.block(named: name) {
          error(.unknownSection, "unknown section '\(name)'", at: entry.key,
                notes: ["'\(name)' is \(decl.kind.noun); it belongs under '\(decl.section.rawValue)'"],
                help: ["write '\(decl.section.rawValue): {\(name): ...}'"])
        } else {
          unknown(.unknownSection, "section", entry.key, in: "a recipe", candidates: Section.allCases.map(\.rawValue), accepts: "has the sections")
        }
        continue
      }
      // `section: none` removes an inherited section, as `none` removes a slot.
      if entry.value.isNull, SectionDecl.of(section).scalar == nil { continue }
      keys[name] = entry.key
      checkSection(section, key: entry.key, value: entry.value)
    }
    if keys["recipe"] == nil {
      // `recipe` is never inherited; it defaults to the file's name.
      let name = file.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? file
      values["recipe"] = ResolvedValue(value: .string(name), origin: .declaredDefault)
    }
    lint(root: root, file: file)
  }

  private mutating func checkSection(_ section: Section, key: YAMLNode, value: YAMLNode) {
    let decl = SectionDecl.of(section)
    if let scalarType = decl.scalar {
      _ = typed(value, ParamDecl(section.rawValue, scalarType, default: .required, doc: ""), path: section.rawValue)
      return
    }
    guard let entries = value.entries else {
      var help = section == .objective ? "e.g. 'objective: {clip: {low: 0.2}}'" : "write '\(section.rawValue):' followed by indented 'key: value' lines"
      if let word = value.scalar, registry.block(named: word)?.section == section {
        help = "write '\(section.rawValue): {\(word): {}}' (a block takes a mapping of its parameters)"
      }
      error(.wrongType, "'\(section.rawValue)' takes a mapping, found \(value.summary)", at: value, help: [help])
      return
    }
    switch section {
    case .schedule: checkSchedule(entries)
    case .objective: checkObjective(entries)
    default:
      if decl.blockCount == .none {
        checkParams(entries, decl.params, path: section.rawValue, owner: key)
      } else {
        checkBlockSection(section, entries: entries, owner: key)
      }
    }
  }
}
