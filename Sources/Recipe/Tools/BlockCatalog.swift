import Blocks
import Diagnostics

/// The library side of `porecipe blocks [NAME]`: the catalog of every block by section,
/// or one block in full — formula, parameters, papers, and where it applies.
public struct BlockCatalog: Sendable {
  /// The blocks described.
  public let registry: BlockRegistry
  /// The recipes searched for uses of a block.
  let builtins: [String: String]

  public init(registry: BlockRegistry = .standard, builtins: [String: String] = BuiltinRecipes.files) {
    self.registry = registry
    self.builtins = builtins
  }

  /// `porecipe blocks [NAME]`: the catalog, a section's part of it, or one block; an
  /// unknown name exits 1 with a did-you-mean.
  public static func run(_ name: String? = nil, registry: BlockRegistry = .standard) -> ToolReport {
    let catalog = BlockCatalog(registry: registry)
    guard let name else { return ToolReport(output: catalog.text()) }
    if let section = Section(rawValue: name), !registry.blocks(in: section).isEmpty {
      return ToolReport(output: catalog.text(sections: [section]))
    }
    if let block = registry.block(named: name) { return ToolReport(output: catalog.text(for: block)) }
    return .failure([catalog.unknown(name)])
  }

  /// The error for a name no block has.
  func unknown(_ name: String) -> Diagnostic {
    let near = Suggestions.closest(to: name, among: registry.blocks.map(\.name) + Section.allCases.map(\.rawValue))
    return Diagnostic(.error, .unknownBlock, "unknown block '\(name)'" + (near.map { "; did you mean '\($0)'?" } ?? ""), at: nil,
                      help: ["'porecipe blocks' lists every block by section"], suggestion: near)
  }

  // MARK: - The catalog

  /// Every block of `sections`, grouped by section and kind: name, summary, first paper.
  public func text(sections: [Section] = Section.allCases) -> String {
    let width = (registry.blocks.map(\.name.count).max() ?? 0) + 2
    var out = sections == Section.allCases ? """
      Blocks by section; 'porecipe blocks NAME' shows one with its formula and parameters.
      The second column says where each block runs: env(ironment), tok(en) and pref(erence) runs,
      and 'porecipe eval'; 'not built' blocks are declared but have no math yet.

      """ : ""
    for section in sections {
      let blocks = registry.blocks(in: section)
      for kind in BlockKind.allCases {
        let ofKind = blocks.filter { $0.kind == kind }
        guard !ofKind.isEmpty else { continue }
        out += "\n\(section.rawValue): \(kind.plural)\(kind == .modifier ? " (advantage.then)" : "")\n"
        for block in ofKind {
          let paper = block.papers.first.map { "  [\($0.shortCitation)]" } ?? ""
          out += "  " + block.name.padding(toLength: width, withPad: " ", startingAt: 0) + Self.supportColumn(block.support) + "  "
            + block.summary + paper + "\n"
        }
      }
    }
    return out
  }

  /// `env tok      eval`: where a block runs, in a fixed-width column.
  static func supportColumn(_ support: Support) -> String {
    guard support != .nowhere else { return "not built".padding(toLength: 17, withPad: " ", startingAt: 0) }
    let columns: [(Support, String)] = [(.environment, "env"), (.token, "tok"), (.preference, "pref"), (.eval, "eval")]
    return columns.map { support.contains($0.0) ? $0.1 : String(repeating: " ", count: $0.1.count) }.joined(separator: " ")
  }

  /// The built-in recipes that use a block, by block name.
  func users() -> [String: [String]] {
    var loader = RecipeLoader(registry: registry, builtins: builtins)
    var users: [String: [String]] = [:]
    for name in builtins.keys.sorted() {
      guard let recipe = CheckedRecipe(.builtin(name), loader: &loader).resolved(registry: registry) else { continue }
      var used = Set(recipe.blocks.values.flatMap { $0.filter { !$0.isImplicit }.map(\.decl.name) } + recipe.modifiers)
      for entry in recipe.entries where entry.section == .schedule {
        if let target = RecipeDiff.scheduleTarget(of: entry.path, registry: registry),
           let shape = entry.path.dropFirst(target.count + 1).split(separator: ".").first {
          used.insert(String(shape))
        }
      }
      for block in used { users[block, default: []].append(name) }
    }
    return users
  }
}

extension Paper {
  /// `arXiv:2503.14476`, or the title's head and the year when the id is unconfirmed:
  /// `DeepSeekMath (2024)`.
  public var shortCitation: String {
    if let arxiv { return "arXiv:\(arxiv)" }
    let head = title.split(separator: ":").first.map(String.init) ?? title
    let words = head.split(separator: " ")
    return (words.count > 4 ? words.prefix(4).joined(separator: " ") + " …" : head) + " (\(year))"
  }
}
