import Blocks

/// How recipe A differs from recipe B in method terms — "A is B with these changes" — over
/// the fully resolved recipes (after `extends` and defaults): blocks added, removed or
/// replaced, and values changed. `recipe`, `paper` and `extends` are not compared.
public struct RecipeDiff: Sendable {
  /// One difference, from B to A.
  public enum Change: Sendable, Hashable {
    /// A value both recipes have, different (`objective.clip.high 0.2 → 0.28`).
    case changed(path: String, a: ResolvedRecipe.Entry, b: ResolvedRecipe.Entry)
    /// A block only A uses, with the parameters A writes.
    case added(path: String, written: [ResolvedRecipe.Entry])
    /// A block only B uses, with the parameters B writes.
    case removed(path: String, written: [ResolvedRecipe.Entry])
    /// A one-block section names another block (`advantage group_norm → rloo`).
    case replaced(section: Section, a: String, b: String, written: [ResolvedRecipe.Entry])
    /// One preference loss in place of another, with what that changes (`objective dpo → simpo`).
    case lossReplaced(a: String, b: String, written: [ResolvedRecipe.Entry], aspects: [PreferenceLossTraits.Change])
    /// A value only A has, outside any added block.
    case valueAdded(ResolvedRecipe.Entry)
    /// A value only B has, outside any removed block.
    case valueRemoved(ResolvedRecipe.Entry)

    /// The section the change is in.
    public var section: Section {
      switch self {
      case .changed(_, let a, _): a.section
      case .added(let path, _), .removed(let path, _): Section(rawValue: String(path.prefix { $0 != "." })) ?? .recipe
      case .replaced(let section, _, _, _): section
      case .lossReplaced: .objective
      case .valueAdded(let entry), .valueRemoved(let entry): entry.section
      }
    }
  }

  /// The differences in reading order: by section, then as the recipes name them.
  public var changes: [Change]

  /// Whether the recipes resolve to the same method.
  public var isEmpty: Bool { changes.isEmpty }

  /// Compares `a` with `b`.
  public init(_ a: ResolvedRecipe, _ b: ResolvedRecipe, registry: BlockRegistry = .standard) {
    var changes: [Change] = []
    let ignored: Set<Section> = [.recipe, .paper, .extends]
    for section in Section.allCases where !ignored.contains(section) {
      let blocksA = a.blocks(in: section)
      let blocksB = b.blocks(in: section)
      let namesA = Set(blocksA.map(\.decl.name)), namesB = Set(blocksB.map(\.decl.name))
      // Paths whose values are summed up by a block-level change.
      var covered: [String] = []
      let onlyA = blocksA.filter { !namesB.contains($0.decl.name) }
      let onlyB = blocksB.filter { !namesA.contains($0.decl.name) }
      var blockChanges: [String: Change] = [:]
      let lossA = onlyA.filter { $0.decl.kind == .preference }, lossB = onlyB.filter { $0.decl.kind == .preference }
      if section == .objective, lossA.count == 1, lossB.count == 1 {
        let (blockA, blockB) = (lossA[0], lossB[0])
        let aspects = PreferenceLossTraits.changes(from: PreferenceLossTraits(blockB.decl.name, in: b), to: PreferenceLossTraits(blockA.decl.name, in: a))
        let change = Change.lossReplaced(a: blockA.decl.name, b: blockB.decl.name,
                                         written: a.entries(of: blockA.path).filter(\.origin.isWritten), aspects: aspects)
        blockChanges[blockA.path] = change
        blockChanges[blockB.path] = change
        covered += [blockA.path, blockB.path]
      }
      if SectionDecl.of(section).blockCount == .one, onlyA.count == 1, onlyB.count == 1 {
        let (blockA, blockB) = (onlyA[0], onlyB[0])
        let change = Change.replaced(section: section, a: blockA.decl.name, b: blockB.decl.name,
                                     written: a.entries(of: blockA.path).filter(\.origin.isWritten))
        blockChanges[blockA.path] = change
        blockChanges[blockB.path] = change
        covered += [blockA.path, blockB.path]
      } else {
        for block in onlyA where !covered.contains(block.path) {
          blockChanges[block.path] = .added(path: block.path, written: a.entries(of: block.path).filter(\.origin.isWritten))
          covered.append(block.path)
        }
        for block in onlyB where !covered.contains(block.path) {
          blockChanges[block.path] = .removed(path: block.path, written: b.entries(of: block.path).filter(\.origin.isWritten))
          covered.append(block.path)
        }
      }
      let keysA = Self.keys(of: a, in: section), keysB = Self.keys(of: b, in: section)
      if keysA.isEmpty != keysB.isEmpty, section != .schedule, (keysA.isEmpty ? blocksB : blocksA).isEmpty {
        // A whole section of parameters one recipe does not have: one line, not one per default.
        changes.append(keysA.isEmpty ? .removed(path: section.rawValue, written: []) : .added(path: section.rawValue, written: []))
        continue
      }
      for key in Self.mergedKeys(keysA, keysB) {
        if let change = blockChanges[key] {
          changes.append(change)
          blockChanges = blockChanges.filter { $0.value != change }
          continue
        }
        guard !covered.contains(where: { key == $0 || key.hasPrefix($0 + ".") || key.hasPrefix($0 + "[") }) else { continue }
        switch (Self.isInert(key, in: a), Self.isInert(key, in: b)) {
        case (true, true):
          continue
        case (false, true):
          // `aggregate` became seq_mean_token_sum_norm: its constant now counts.
          if let entryA = a.entry(key) { changes.append(.valueAdded(entryA)) }
          continue
        case (true, false):
          if let entryB = b.entry(key) { changes.append(.valueRemoved(entryB)) }
          continue
        case (false, false):
          break
        }
        switch (a.entry(key), b.entry(key)) {
        case let (entryA?, entryB?) where entryA.value != entryB.value:
          changes.append(.changed(path: key, a: entryA, b: entryB))
        case let (entryA?, nil):
          if let group = Self.group(of: key, in: b, registry: registry) {
            covered.append(group)
            changes.append(group == Self.modifiersPath ? .valueAdded(Self.modifiers(of: a, origin: entryA.origin))
                           : .added(path: group, written: a.entries(of: group).filter(\.origin.isWritten)))
          } else if !Self.isGroupHead(entryA, other: b) {
            changes.append(.valueAdded(entryA))
          }
        case let (nil, entryB?):
          if let group = Self.group(of: key, in: a, registry: registry) {
            covered.append(group)
            changes.append(group == Self.modifiersPath ? .valueRemoved(Self.modifiers(of: b, origin: entryB.origin))
                           : .removed(path: group, written: b.entries(of: group).filter(\.origin.isWritten)))
          } else if !Self.isGroupHead(entryB, other: a) {
            changes.append(.valueRemoved(entryB))
          }
        default:
          break
        }
      }
    }
    self.changes = changes
  }

  /// For a value only one recipe has: the part of the recipe it belongs to that `recipe`
  /// lacks as a whole — a schedule (`schedule.lr`), the modifiers (`advantage.then`), or a
  /// record that `recipe` leaves unset (`policy.warm_start`) — so the change reads as one line.
  private static func group(of key: String, in recipe: ResolvedRecipe, registry: BlockRegistry) -> String? {
    let lacks = { (group: String) in !recipe.entries.contains { $0.path.hasPrefix(group + ".") || $0.path.hasPrefix(group + "[") } }
    if let target = scheduleTarget(of: key, registry: registry) { return lacks(target) ? target : nil }
    if key.hasPrefix(modifiersPath + "[") { return lacks(modifiersPath) ? modifiersPath : nil }
    let parts = key.split(separator: ".").map(String.init)
    for length in stride(from: 2, to: parts.count, by: 1) {
      let prefix = parts[0..<length].joined(separator: ".")
      if let entry = recipe.entry(prefix) {
        if entry.value == .null { return prefix }
      } else if lacks(prefix) {
        return prefix
      }
    }
    return nil
  }

  static let modifiersPath = "advantage.then"

  /// Parameters that only act under a choice of another (`norm` is the denominator of
  /// `seq_mean_token_sum_norm` only), by path: the path of the choice and its value.
  static let actsOnlyWhen: [String: (path: String, value: ParamValue)] = [
    "objective.aggregate.norm": ("objective.aggregate.mode", .string("seq_mean_token_sum_norm")),
  ]

  /// Whether `key` is a parameter that does nothing in `recipe` (so a difference in it is none).
  private static func isInert(_ key: String, in recipe: ResolvedRecipe) -> Bool {
    guard let condition = actsOnlyWhen[key] else { return false }
    return recipe.value(condition.path) != condition.value
  }

  /// `advantage.then = [batch_norm]`: a recipe's modifiers as one value.
  private static func modifiers(of recipe: ResolvedRecipe, origin: ValueOrigin) -> ResolvedRecipe.Entry {
    ResolvedRecipe.Entry(path: modifiersPath, section: .advantage, value: .list(recipe.modifiers.map { .string($0) }), origin: origin)
  }

  /// `schedule.objective.kl.coef` for `schedule.objective.kl.coef.linear.to`: the path up to
  /// the schedule shape (targets are dotted paths themselves).
  static func scheduleTarget(of key: String, registry: BlockRegistry) -> String? {
    let parts = key.split(separator: ".").map(String.init)
    guard parts.first == Section.schedule.rawValue,
          let shape = parts.indices.dropFirst(2).first(where: { registry.block(named: parts[$0])?.section == .schedule }) else { return nil }
    return parts[0..<shape].joined(separator: ".")
  }

  /// Whether `entry` is an unset record whose values `other` has (reported by `group`).
  private static func isGroupHead(_ entry: ResolvedRecipe.Entry, other: ResolvedRecipe) -> Bool {
    entry.value == .null && other.entries.contains { $0.path.hasPrefix(entry.path + ".") }
  }

  /// A recipe's keys in `section` in reading order: each block's path, then its values.
  private static func keys(of recipe: ResolvedRecipe, in section: Section) -> [String] {
    var keys: [String] = []
    var blockPaths = Set<String>()
    for entry in recipe.entries where entry.section == section {
      let block = recipe.blocks(in: section).first { entry.path.hasPrefix($0.path + ".") }
      if let block, blockPaths.insert(block.path).inserted { keys.append(block.path) }
      keys.append(entry.path)
    }
    for block in recipe.blocks(in: section) where blockPaths.insert(block.path).inserted { keys.append(block.path) }
    return keys
  }

  /// A's and B's keys as one sequence that keeps both orders where they agree: walking B,
  /// each key shared with A first brings A's keys before it.
  static func mergedKeys(_ a: [String], _ b: [String]) -> [String] {
    var merged: [String] = []
    var seen = Set<String>()
    let inA = Set(a)
    var nextA = 0
    for key in b {
      if inA.contains(key) {
        while nextA < a.count {
          let keyA = a[nextA]
          nextA += 1
          if seen.insert(keyA).inserted { merged.append(keyA) }
          if keyA == key { break }
        }
      } else if seen.insert(key).inserted {
        merged.append(key)
      }
    }
    for key in a[nextA...] where seen.insert(key).inserted { merged.append(key) }
    return merged
  }
}
