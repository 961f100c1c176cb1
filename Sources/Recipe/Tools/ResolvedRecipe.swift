import Blocks
import Diagnostics
import Foundation

/// A recipe after `extends`, `--set` and defaults: every value of every block in use, in
/// the order a reader expects (sections in `Section` order, blocks in the order the recipe
/// names them, parameters in declaration order), each with its origin. Absent `ratio` and
/// `aggregate` slots of a policy-gradient objective are filled with their documented
/// defaults, so the aggregation is always explicit. This is what `explain`, `diff` and
/// `new` read.
public struct ResolvedRecipe: Sendable {
  /// One resolved parameter.
  public struct Entry: Sendable, Hashable {
    /// `objective.clip.high`.
    public var path: String
    public var section: Section
    /// The value; `nil` for a default that follows a value the recipe does not have
    /// (`objective.aggregate.norm` follows `rollout.max_tokens`).
    public var value: ParamValue?
    public var origin: ValueOrigin
  }

  /// A block in use.
  public struct Block: Sendable, Hashable {
    public var decl: BlockDecl
    /// Whether the recipe leaves the slot out and it takes its default (`ratio: token`).
    public var isImplicit: Bool
    /// `objective.clip`.
    public var path: String { decl.path }
  }

  /// The recipe's name (`recipe:`, or the file name).
  public var name: String
  /// The file as the user named it, or `<builtin>/NAME.yaml`.
  public var file: String
  /// The files of the `extends` chain, child first.
  public var chain: [String]
  /// The blocks in use, by section.
  public var blocks: [Section: [Block]]
  /// The modifiers of `advantage.then`, in order.
  public var modifiers: [String]
  /// Every resolved value, in reading order.
  public var entries: [Entry]
  /// What the checker found, the compiler's input (`PolicyCompiler`).
  public var checkResult: CheckResult
  private var index: [String: Int]

  /// The entry at `path`.
  public func entry(_ path: String) -> Entry? { index[path].map { entries[$0] } }

  /// The value at `path`.
  public func value(_ path: String) -> ParamValue? { entry(path)?.value }

  /// The blocks in use in `section`.
  public func blocks(in section: Section) -> [Block] { blocks[section] ?? [] }

  /// The block named `name` in `section`, when it is in use.
  public func block(_ name: String, in section: Section) -> Block? { blocks(in: section).first { $0.decl.name == name } }

  /// The entries of the block at `path` (`objective.kl`), in declaration order.
  public func entries(of blockPath: String) -> [Entry] { entries.filter { $0.path.hasPrefix(blockPath + ".") } }

  init(_ checked: CheckedRecipe, registry: BlockRegistry) {
    let root = checked.loaded.root
    var blocks: [Section: [Block]] = checked.result.blocks.mapValues { $0.map { Block(decl: $0, isImplicit: false) } }
    Self.addAbsentSlots(to: &blocks, hasFormula: root?["objective"]?["expr"].map { !$0.isNull } ?? false, registry: registry)
    var builder = EntryBuilder(values: checked.result.values, root: root)
    for section in Section.allCases {
      builder.section = section
      switch section {
      case .recipe, .extends:
        builder.appendScalar(section)
      default:
        // The checker fills the defaults of parameter-only sections; this fills those of block sections.
        for block in blocks[section] ?? [] {
          builder.append(block.decl.params, prefix: block.path, fillsDefaults: block.isImplicit,
                         shortForm: block.isImplicit ? block.decl.shortForm : nil)
        }
        builder.append(SectionDecl.of(section).params, prefix: section.rawValue, fillsDefaults: root?[section.rawValue] != nil)
        builder.appendRest(of: section)
      }
    }
    self.name = builder.entries.first { $0.path == "recipe" }?.value?.description ?? checked.loaded.file
    self.file = checked.loaded.file
    self.chain = checked.loaded.chain
    self.blocks = blocks
    self.modifiers = root?["advantage"]?["then"]?.items?.compactMap { $0.entries?.first?.key.scalar } ?? []
    self.entries = builder.entries
    self.checkResult = checked.result
    self.index = Dictionary(builder.entries.enumerated().map { ($1.path, $0) }) { first, _ in first }
  }

  /// `ratio` (for the clipped surrogate) and `aggregate` (for any policy-gradient objective)
  /// take their documented defaults when the recipe leaves them out.
  private static func addAbsentSlots(to blocks: inout [Section: [Block]], hasFormula: Bool, registry: BlockRegistry) {
    let objective = blocks[.objective] ?? []
    guard hasFormula || objective.contains(where: { $0.decl.kind.isPolicyGradient }) else { return }
    let names = Set(objective.map(\.decl.name))
    let isSurrogate = !hasFormula && !objective.contains { $0.decl.kind == .structural }
    if isSurrogate, !names.contains("ratio"), let ratio = registry.block(named: "ratio") {
      blocks[.objective, default: []].insert(Block(decl: ratio, isImplicit: true), at: 0)
    }
    if !names.contains("aggregate"), let aggregate = registry.block(named: "aggregate") {
      blocks[.objective, default: []].append(Block(decl: aggregate, isImplicit: true))
    }
  }
}

/// Collects entries in reading order from the checker's values and the composed tree.
private struct EntryBuilder {
  let values: [String: ResolvedValue]
  let root: YAMLNode?
  var section = Section.recipe
  var entries: [ResolvedRecipe.Entry] = []
  var emitted: Set<String> = []

  init(values: [String: ResolvedValue], root: YAMLNode?) {
    self.values = values
    self.root = root
  }

  mutating func emit(_ path: String, _ value: ParamValue?, _ origin: ValueOrigin) {
    guard emitted.insert(path).inserted else { return }
    entries.append(ResolvedRecipe.Entry(path: path, section: section, value: value, origin: origin))
  }

  /// `recipe` and `extends`: written in the recipe (never inherited), or the default name.
  mutating func appendScalar(_ section: Section) {
    if let node = root?[section.rawValue], let text = node.scalar, !node.isNull {
      emit(section.rawValue, .string(text), ValueOrigin(node.span))
    } else if let value = values[section.rawValue] {
      emit(section.rawValue, value.value, ValueOrigin(value.origin))
    }
  }

  /// `params` under `prefix`, records expanded, with their declared defaults when
  /// `fillsDefaults` (the short-form parameter of an absent slot marked as such).
  mutating func append(_ params: [ParamDecl], prefix: String, fillsDefaults: Bool = false, shortForm: String? = nil) {
    for param in params {
      let path = "\(prefix).\(param.key)"
      switch param.type {
      case .record(let nested):
        if values.keys.contains(where: { $0.hasPrefix(path + ".") }) {
          append(nested, prefix: path)
        } else if let value = values[path] {
          emit(path, value.value, ValueOrigin(value.origin))
        } else if fillsDefaults, param.defaultValue == .absent {
          emit(path, .null, .declaredDefault)
        }
        continue
      case .expression:
        if let node = node(at: path), let text = node.scalar, !node.isNull {
          emit(path, .string(text.trimmingCharacters(in: .whitespacesAndNewlines)), ValueOrigin(node.span))
        }
        continue
      case .blockList:
        continue
      default:
        break
      }
      if let value = values[path] {
        emit(path, value.value, ValueOrigin(value.origin))
      } else if case .derived(let what) = param.defaultValue {
        let target = what.contains(".") ? what : "\(prefix).\(what)"
        let source = values[target]?.value ?? entries.first { $0.path == target }?.value
        emit(path, source, .derived(from: target))
      } else if fillsDefaults {
        switch param.defaultValue {
        case .value(let value): emit(path, value, param.key == shortForm ? .absentSlot : .declaredDefault)
        case .absent: emit(path, .null, .declaredDefault)
        case .required, .derived: break
        }
      }
    }
  }

  /// Values of `section` not reached through declarations (modifiers, schedules), sorted.
  mutating func appendRest(of section: Section) {
    let name = section.rawValue
    for path in values.keys.filter({ $0.hasPrefix(name + ".") || $0.hasPrefix(name + "[") }).sorted() where !emitted.contains(path) {
      if let value = values[path] { emit(path, value.value, ValueOrigin(value.origin)) }
    }
  }

  /// The composed tree's node at a dotted path.
  private func node(at path: String) -> YAMLNode? {
    var node = root
    for part in path.split(separator: ".") { node = node?[String(part)] }
    return node
  }
}
