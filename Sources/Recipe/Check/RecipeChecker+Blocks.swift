import Blocks
import Diagnostics

extension RecipeChecker {
  /// `task`, `policy`, `reward`, `filter`, `advantage`, `optimizer`: section keys, then blocks
  /// of that section; one-block sections hold exactly one.
  mutating func checkBlockSection(_ section: Section, entries: [YAMLNode.Entry], owner: YAMLNode) {
    let decl = SectionDecl.of(section)
    var named: [YAMLNode] = []
    for entry in entries {
      guard let key = entry.key.scalar else {
        error(.wrongType, "keys in \(section.rawValue) are words, found \(entry.key.summary)", at: entry.key)
        continue
      }
      if let param = decl.param(key) {
        keys["\(section.rawValue).\(key)"] = entry.key
        if key == "expr", !entry.value.isNull { named.append(entry.key) }
        if let value = typed(entry.value, param, path: "\(section.rawValue).\(key)") {
          values["\(section.rawValue).\(key)"] = ResolvedValue(value: value, origin: .source(entry.value.span))
        }
        continue
      }
      let kinds: Set<BlockKind>? = section == .advantage ? [.estimator] : nil
      guard let block = resolveBlock(entry.key, in: section, extraKeys: decl.params.map(\.key), kinds: kinds) else { continue }
      if entry.value.isNull { continue }
      named.append(entry.key)
      checkBlock(block, key: entry.key, value: entry.value)
    }
    guard decl.blockCount == .one else { return }
    if named.isEmpty {
      let blocks = registry.blocks(in: section).filter { $0.kind != .modifier }
      let kind = blocks.first?.kind.noun ?? "a block"
      error(.missingBlock, "'\(section.rawValue)' names no block; it needs \(kind)", at: owner,
            notes: ["\(section.rawValue) blocks are \(Suggestions.list(blocks.map(\.name)))"])
    }
    for extra in named.dropFirst() {
      let first = named[0]
      diagnostics.append(Diagnostic(.error, .multipleBlocks,
        "'\(section.rawValue)' takes one block, but names '\(first.scalar ?? "")' and '\(extra.scalar ?? "")'", at: extra.span,
        secondary: [.init(span: first.span, message: "first block here")], help: ["keep one of them"]))
    }
  }

  /// The declaration `key` names in `section`, or `nil` after reporting an unknown block or
  /// a block of another section (`wrong-slot`).
  mutating func resolveBlock(_ key: YAMLNode, in section: Section, extraKeys: [String] = [], kinds: Set<BlockKind>? = nil) -> BlockDecl? {
    let name = key.scalar ?? ""
    if let decl = registry.block(named: name), decl.section == section, kinds.map({ $0.contains(decl.kind) }) ?? true {
      return decl
    }
    let candidates = registry.blocks(in: section).filter { block in kinds?.contains(block.kind) ?? true }.map(\.name) + extraKeys
    if let decl = registry.block(named: name) {
      let place = decl.section == section && decl.kind != .modifier ? "here" : "in '\(section.rawValue)'"
      let home = decl.kind == .modifier ? "'advantage.then', e.g. 'then: [{\(name): {}}]'" : "'\(decl.section.rawValue)'"
      error(.wrongSlot, "'\(name)' is \(decl.kind.noun); it does not belong \(place)", at: key,
            help: ["move it to \(home)"])
      return nil
    }
    if let renamed = BlockRegistry.renamed[name], let decl = registry.block(named: renamed), decl.section == section {
      error(.unknownBlock, "'\(name)' was renamed to '\(renamed)'", at: key, help: ["write '\(renamed)'"], suggestion: renamed)
      return nil
    }
    unknown(.unknownBlock, "block", key, in: section.rawValue, candidates: candidates)
    return nil
  }

  /// One block's value: `{}` or a mapping of its parameters, or a bare word for blocks with
  /// a short form (`ratio: token`).
  mutating func checkBlock(_ decl: BlockDecl, key: YAMLNode, value: YAMLNode) {
    let path = decl.path
    keys[path] = key
    blocksInUse[decl.section, default: []].append(decl)
    if let shortForm = decl.shortForm, let param = decl.param(shortForm), value.scalar != nil {
      if let typedValue = typed(value, param, path: "\(path).\(shortForm)") {
        values["\(path).\(shortForm)"] = ResolvedValue(value: typedValue, origin: .source(value.span))
      }
      let rest = decl.params.filter { $0.key != shortForm }
      checkParams([], rest, path: path, owner: key)
      return
    }
    guard let entries = value.entries else {
      var help = ["write '\(decl.name): {}' for the defaults"]
      if let first = decl.params.first, value.scalar != nil {
        help = ["write '\(decl.name): {\(first.key): \(value.scalar ?? "")}'"]
      }
      error(.wrongType, "\(path) takes a mapping of parameters, found \(value.summary)", at: value, help: help)
      return
    }
    checkParams(entries, decl.params, path: path, owner: key)
  }

  /// One item of `advantage.then`: a one-key mapping naming a modifier.
  mutating func checkListedBlock(_ item: YAMLNode, kind: BlockKind, path: String) {
    guard let entries = item.entries, entries.count == 1, let entry = entries.first else {
      error(.wrongType, "\(path) takes a one-key mapping naming \(kind.noun), found \(item.summary)", at: item,
            help: ["e.g. '- batch_norm: {}'"])
      return
    }
    guard let decl = resolveBlock(entry.key, in: .advantage, kinds: [kind]) else { return }
    modifiers.append(UsedBlock(name: decl.name, path: entry.value.isNull ? path : "\(path).\(decl.name)", span: entry.key.span))
    if entry.value.isNull {
      checkParams([], decl.params, path: path, owner: entry.key)
    } else if let params = entry.value.entries {
      checkParams(params, decl.params, path: "\(path).\(decl.name)", owner: entry.key)
    } else {
      error(.wrongType, "\(path).\(decl.name) takes a mapping of parameters, found \(entry.value.summary)", at: entry.value)
    }
  }

  /// `schedule`: each key is a numeric parameter's path (`lr` is the optimizer's), each value
  /// names one schedule shape.
  mutating func checkSchedule(_ entries: [YAMLNode.Entry]) {
    for entry in entries {
      guard let target = entry.key.scalar else { continue }
      pendingSchedules.append(entry.key)
      if let shapes = entry.value.entries, shapes.count > 1 {
        let names = shapes.compactMap(\.key.scalar)
        diagnostics.append(Diagnostic(.error, .multipleBlocks,
          "schedule.\(target) takes one schedule shape, but names \(names.map { "'\($0)'" }.joined(separator: " and "))",
          at: shapes[1].key.span, secondary: [.init(span: shapes[0].key.span, message: "first shape here")], help: ["keep one of them"]))
        continue
      }
      guard let shapes = entry.value.entries, shapes.count == 1, let shape = shapes.first else {
        error(.wrongType, "schedule.\(target) takes a one-key mapping naming a schedule shape, found \(entry.value.summary)",
              at: entry.value, help: ["e.g. '\(target): {linear: {to: 0.0}}'"])
        continue
      }
      guard let decl = resolveBlock(shape.key, in: .schedule) else { continue }
      scheduleShapes.append((decl, shape.key))
      if let params = shape.value.entries {
        checkParams(params, decl.params, path: "schedule.\(target).\(decl.name)", owner: shape.key)
      } else if !shape.value.isNull {
        error(.wrongType, "schedule.\(target).\(decl.name) takes a mapping of parameters, found \(shape.value.summary)", at: shape.value)
      }
    }
  }

  /// After every section: each schedule key must be a numeric parameter of the recipe.
  mutating func checkSchedulePaths() {
    let numeric = values.filter { $0.value.value.number != nil || $0.value.value == .null }.keys
    let candidates = Set(numeric.filter { !$0.hasPrefix("schedule.") && !$0.hasPrefix("paper.") } + ["lr"])
    for key in pendingSchedules {
      let path = key.scalar ?? ""
      if path == "lr", blocksInUse[.optimizer]?.isEmpty == false { continue }
      if candidates.contains(path) { continue }
      let near = Suggestions.closest(to: path, among: candidates)
      error(.unknownPath, "schedule.\(path) names no numeric parameter of this recipe" + (near.map { "; did you mean '\($0)'?" } ?? ""),
            at: key, notes: ["schedule keys are paths of numeric parameters in use, such as 'lr' or 'objective.kl.coef'"], suggestion: near)
    }
  }
}
