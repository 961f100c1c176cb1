import Blocks
import Diagnostics

/// `--set path=value`: sets any declared parameter (or a whole block or slot), present in
/// the file or not. The value is YAML, typed later by the declaration; an unknown path is an
/// error with a did-you-mean, pointing into the `<command line>` source.
struct Overrides {
  let registry: BlockRegistry
  static let sourceName = "<command line>"

  func apply(_ overrides: [String], to loaded: inout LoadedRecipe) {
    guard !overrides.isEmpty else { return }
    let prefix = "--set "
    let text = overrides.map { prefix + $0 }.joined(separator: "\n")
    let source = SourceFile(name: Self.sourceName, text: text)
    loaded.sources.add(source)
    guard var root = loaded.root else { return }
    for (index, override) in overrides.enumerated() {
      let line = index + 1
      guard let equals = override.firstIndex(of: "=") else {
        loaded.diagnostics.append(Diagnostic(.error, .unknownPath, "--set takes 'path=value', found '\(override)'",
          at: SourceSpan(file: Self.sourceName, line: line, column: prefix.count + 1, length: override.unicodeScalars.count),
          help: ["e.g. --set objective.clip.high=0.28"]))
        continue
      }
      let path = String(override[..<equals])
      let valueText = String(override[override.index(after: equals)...])
      let valueColumn = prefix.count + path.unicodeScalars.count + 1
      let segments = segmentNodes(path, line: line, column: prefix.count + 1)
      guard let problem = validate(segments) else {
        let valueFile = SourceFile(name: Self.sourceName, text: String(repeating: "\n", count: index) + valueText)
        let (parsed, found) = YAMLReader.read(valueFile, columnOffset: valueColumn)
        loaded.diagnostics += found
        let value = parsed ?? YAMLNode(.scalar("", .plain), span: SourceSpan(file: Self.sourceName, line: line, column: valueColumn + 1))
        guard found.isEmpty else { continue }
        var child = value
        for segment in segments.reversed() {
          child = YAMLNode(.mapping([YAMLNode.Entry(key: segment, value: child)]), span: segment.span)
        }
        root = RecipeMerger(registry: registry).merge(root, child, inheriting: false)
        continue
      }
      loaded.diagnostics.append(problem)
    }
    loaded.root = root
  }

  private func segmentNodes(_ path: String, line: Int, column: Int) -> [YAMLNode] {
    var nodes: [YAMLNode] = []
    var column = column
    for part in path.split(separator: ".", omittingEmptySubsequences: false) {
      let length = part.unicodeScalars.count
      nodes.append(YAMLNode(.scalar(String(part), .plain), span: SourceSpan(file: Self.sourceName, line: line, column: column, length: length)))
      column += length + 1
    }
    return nodes
  }

  /// `nil` when the path names a declared section, block, parameter or nested record key.
  private func validate(_ segments: [YAMLNode]) -> Diagnostic? {
    let names = segments.map { $0.scalar ?? "" }
    func unknown(_ index: Int, among candidates: [String], in place: String) -> Diagnostic {
      let word = names[index]
      let near = Suggestions.closest(to: word, among: candidates)
      let notes = candidates.isEmpty ? ["\(place) has no parts to set; set it whole, e.g. --set \(place)=<value>"]
        : near == nil ? ["\(place) has \(Suggestions.list(candidates))"] : []
      return Diagnostic(.error, .unknownPath, "unknown path '\(names.joined(separator: "."))': no '\(word)' in \(place)"
                          + (near.map { "; did you mean '\($0)'?" } ?? ""), at: segments[index].span, notes: notes, suggestion: near)
    }
    if let empty = names.firstIndex(of: "") {
      return Diagnostic(.error, .unknownPath, "--set path '\(names.joined(separator: "."))' has an empty part", at: segments[empty].span,
                        help: ["write dotted keys, e.g. objective.clip.high"])
    }
    if names[0] == "extends" {
      return Diagnostic(.error, .unknownPath, "--set cannot change 'extends': the chain is composed before overrides apply",
                        at: segments[0].span, help: ["edit 'extends' in the recipe"])
    }
    guard let section = Section(rawValue: names[0]) else {
      return unknown(0, among: Section.allCases.map(\.rawValue), in: "a recipe")
    }
    let decl = SectionDecl.of(section)
    if names.count == 1 || section == .schedule { return nil }
    var params: [ParamDecl]
    var place = section.rawValue
    var index = 1
    if let param = decl.param(names[1]) {
      params = [param]
      index = 1
    } else if decl.blockCount != .none {
      guard let block = registry.block(named: names[1]), block.section == section else {
        return unknown(1, among: registry.blocks(in: section).map(\.name) + decl.params.map(\.key), in: place)
      }
      params = block.params
      place = block.path
      index = 2
    } else {
      return unknown(1, among: decl.params.map(\.key), in: place)
    }
    while index < names.count {
      guard let param = params.first(where: { $0.key == names[index] }) else {
        return unknown(index, among: params.map(\.key), in: place)
      }
      place += ".\(param.key)"
      index += 1
      guard case .record(let nested) = param.type else {
        return index < names.count ? unknown(index, among: [], in: place) : nil
      }
      params = nested
    }
    return nil
  }
}
