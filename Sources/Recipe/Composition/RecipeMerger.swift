import Blocks
import Diagnostics

/// Merges a child recipe (or a `--set`) over its parent by DESIGN.md's rules: mappings merge
/// deeply, lists and scalars replace; naming a different block in a one-block section
/// replaces the parent's block; a preference loss drops the parent's policy-gradient slots
/// and vice versa; `none` stays as an explicit "off". A replacing node remembers the span it
/// replaced (`overrode`), which notes quote.
struct RecipeMerger {
  let registry: BlockRegistry

  /// Sections a child never inherits.
  static let notInherited: Set<String> = ["recipe", "paper", "extends"]

  /// `child` over `parent`; `inheriting` drops the parent's `recipe`, `paper` and `extends`
  /// (false for `--set`, which overrides the recipe itself).
  func merge(_ parent: YAMLNode, _ child: YAMLNode, inheriting: Bool) -> YAMLNode {
    guard let parentEntries = parent.entries, let childEntries = child.entries else { return child }
    var result = inheriting ? parentEntries.filter { !Self.notInherited.contains($0.key.scalar ?? "") } : parentEntries
    for entry in childEntries {
      let key = entry.key.scalar ?? ""
      if let i = result.firstIndex(where: { $0.key.scalar == key }) {
        result[i] = YAMLNode.Entry(key: entry.key, value: mergeSection(key, result[i].value, entry.value))
      } else {
        result.append(entry)
      }
    }
    return YAMLNode(.mapping(result), span: inheriting ? child.span : parent.span)
  }

  private func mergeSection(_ name: String, _ parent: YAMLNode, _ child: YAMLNode) -> YAMLNode {
    guard let section = Section(rawValue: name), var base = parent.entries, let childEntries = child.entries else {
      return replaced(parent, by: child)
    }
    let childKeys = Set(childEntries.compactMap(\.key.scalar))
    switch section {
    case .task, .advantage, .optimizer, .policy:
      let isBlock = { (key: String) in key == "expr" || registry.block(named: key)?.section == section }
      if childKeys.contains(where: isBlock) {
        base.removeAll { isBlock($0.key.scalar ?? "") && !childKeys.contains($0.key.scalar ?? "") }
      }
    case .objective:
      let childKinds = Set(childKeys.compactMap { objectiveClass(of: $0) })
      base.removeAll { entry in
        guard let key = entry.key.scalar, !childKeys.contains(key), let kind = objectiveClass(of: key) else { return false }
        return childKinds.contains { Self.objectiveClassReplaces($0, kind) }
      }
    default:
      break
    }
    return mergeDeep(YAMLNode(.mapping(base), span: parent.span), child, blockSection: section)
  }

  /// The class of an objective key for replacement: structural rules and preference losses
  /// replace each other and the slots they exclude.
  private enum ObjectiveClass { case slot, clipRule, structural, preference, expr }

  private func objectiveClass(of key: String) -> ObjectiveClass? {
    if key == "expr" { return .expr }
    guard let decl = registry.block(named: key), decl.section == .objective else { return nil }
    switch decl.kind {
    case .preference: return .preference
    case .structural: return .structural
    default: return ["clip", "cispo", "ratio"].contains(key) ? .clipRule : .slot
    }
  }

  /// Whether a child key of class `child` drops a parent key of class `parent`.
  private static func objectiveClassReplaces(_ child: ObjectiveClass, _ parent: ObjectiveClass) -> Bool {
    switch (child, parent) {
    case (.preference, _): true
    case (.slot, .preference), (.clipRule, .preference), (.structural, .preference), (.expr, .preference): true
    case (.structural, .structural), (.structural, .clipRule), (.structural, .expr): true
    case (.expr, .structural), (.expr, .clipRule), (.clipRule, .expr), (.clipRule, .structural): true
    default: false
    }
  }

  private func mergeDeep(_ parent: YAMLNode, _ child: YAMLNode, blockSection: Section?) -> YAMLNode {
    guard var result = parent.entries, let childEntries = child.entries else { return replaced(parent, by: child) }
    for entry in childEntries {
      let key = entry.key.scalar ?? ""
      guard let i = result.firstIndex(where: { $0.key.scalar == key }) else {
        result.append(entry)
        continue
      }
      var old = result[i].value
      if let blockSection, let decl = registry.block(named: key), decl.section == blockSection, let shortForm = decl.shortForm,
         old.scalar != nil, !old.isNull, entry.value.entries != nil {
        // `ratio: token` in the parent and `ratio: {proximal: ewma}` in the child: the child refines the long form.
        let keyNode = YAMLNode(.scalar(shortForm, .plain), span: old.span)
        old = YAMLNode(.mapping([YAMLNode.Entry(key: keyNode, value: old)]), span: old.span)
      }
      result[i] = YAMLNode.Entry(key: entry.key, value: mergeDeep(old, entry.value, blockSection: nil))
    }
    return YAMLNode(.mapping(result), span: child.span, overrode: child.overrode)
  }

  private func replaced(_ parent: YAMLNode, by child: YAMLNode) -> YAMLNode {
    var node = child
    node.overrode = parent.span
    return node
  }
}
