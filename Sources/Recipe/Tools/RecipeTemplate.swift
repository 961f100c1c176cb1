import Blocks
import Diagnostics
import Foundation

/// The library side of `porecipe new NAME --from PARENT`: a starter recipe that extends
/// PARENT and shows, commented out, what the parent chain sets, so a user sees what to
/// change. It checks clean as written.
public enum RecipeTemplate {
  /// Writes `DIR/NAME.yaml`; never overwrites a file (exit 1).
  public static func run(name: String, from parent: String, outDirectory: String = ".", registry: BlockRegistry = .standard) -> ToolReport {
    let name = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : name
    guard isRecipeName(name) else {
      return .failure([Diagnostic(.error, "invalid-name", "'\(name)' is not a recipe name; use letters, digits, '_' and '-'", at: nil)])
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: outDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
      return .failure([Diagnostic(.error, .unreadableFile, "cannot write to \(outDirectory): no such directory", at: nil)])
    }
    let path = outDirectory == "." ? name + ".yaml" : (outDirectory as NSString).appendingPathComponent(name + ".yaml")
    guard !FileManager.default.fileExists(atPath: path) else {
      return .failure([Diagnostic(.error, "file-exists", "\(path) exists; porecipe new never overwrites a file", at: nil,
                                  help: ["choose another name, or another directory with --out"])])
    }
    var tools = ToolLoader(registry: registry, colored: false)
    let checked: CheckedRecipe
    switch tools.load([parent]) {
    case .stopped(let report): return report
    case .loaded(let recipes, _):
      guard let first = recipes.first else { return ToolReport(exitCode: 1) }
      checked = first
    }
    let directory = absolute(outDirectory)
    let extends = switch checked.reference {
    case .builtin(let parentName): parentName
    case .file(let file): relativePath(from: directory, to: absolute(file))
    }
    let schema = schemaPath(from: directory)
    let text = self.text(name: name, extends: extends, parent: checked, schemaPath: schema ?? "recipe.schema.json")
    do {
      try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
      return .failure([Diagnostic(.error, .unreadableFile, "cannot write \(path): \(error.localizedDescription)", at: nil)])
    }
    var notes: [String] = []
    if schema == nil {
      notes.append("note: no Grammar/recipe.schema.json above \(outDirectory); for completion in editors write one beside the recipe: "
                   + "porecipe schema > \((outDirectory as NSString).appendingPathComponent("recipe.schema.json"))\n")
    }
    if case .builtin(let parentName) = checked.reference,
       FileManager.default.fileExists(atPath: (outDirectory as NSString).appendingPathComponent(parentName + ".yaml")) {
      notes.append("note: 'extends: \(parentName)' finds \(parentName).yaml beside the new recipe before the built-in recipe\n")
    }
    return ToolReport(output: "created \(path)\n", messages: notes.joined())
  }

  /// The recipe's text: modeline, name, paper placeholder, `extends`, and the parent's
  /// composed sections as comments.
  public static func text(name: String, extends: String, parent: CheckedRecipe, schemaPath: String) -> String {
    let parentName = displayName(ofSource: parent.loaded.file)
    var out = """
      # yaml-language-server: $schema=\(schemaPath)
      # \(name) starts as \(parentName). Uncomment and change what differs; then
      # 'porecipe diff \(name).yaml \(extends)' lists the changes and 'porecipe explain \(name).yaml' every value.
      recipe: \(name)
      # paper: {title: "...", authors: "...", arxiv: "....", year: 2025}
      extends: \(extends)

      """
    let ancestors = parent.loaded.chain.dropFirst().map { displayName(ofSource: $0) }
    out += "\n# What \(parentName) sets" + (ancestors.isEmpty ? "" : " (with \(ancestors.joined(separator: ", ")))") + ":\n"
    let sections = (parent.loaded.root?.entries ?? []).compactMap { entry in
      entry.key.scalar.flatMap(Section.init(rawValue:)).map { ($0, entry.value) }
    }
    for (section, value) in sections.sorted(by: { Section.allCases.firstIndex(of: $0.0) ?? 0 < Section.allCases.firstIndex(of: $1.0) ?? 0 })
    where !RecipeMerger.notInherited.contains(section.rawValue) {
      out += commented(section.rawValue, value)
    }
    return out
  }

  /// `# rollout: {prompts: 32, group: 8}` for a section of scalars, else one line per entry.
  private static func commented(_ key: String, _ value: YAMLNode) -> String {
    guard let entries = value.entries, entries.contains(where: { $0.value.scalar == nil }) else {
      return "# \(key): \(flow(value))\n"
    }
    return "# \(key):\n" + entries.map { "#   \($0.key.scalar ?? ""): \(flow($0.value))\n" }.joined()
  }

  /// A node as YAML flow text, scalars quoted as they were written.
  static func flow(_ node: YAMLNode) -> String {
    switch node.kind {
    case .mapping(let entries): "{" + entries.map { "\($0.key.scalar ?? ""): \(flow($0.value))" }.joined(separator: ", ") + "}"
    case .sequence(let items): "[" + items.map(flow).joined(separator: ", ") + "]"
    case .scalar(let text, .plain): text
    case .scalar(let text, .singleQuoted): "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    case .scalar(let text, _): JSONValue.quote(text.trimmingCharacters(in: .newlines))
    }
  }

  static func isRecipeName(_ name: String) -> Bool {
    !name.isEmpty && name.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-" }
  }

  private static func absolute(_ path: String) -> String {
    let full = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
    return (full as NSString).standardizingPath
  }

  /// `../recipes/grpo.yaml`: `target` relative to `directory` (both absolute).
  static func relativePath(from directory: String, to target: String) -> String {
    let from = directory.split(separator: "/"), to = target.split(separator: "/")
    let common = zip(from, to).prefix { $0 == $1 }.count
    // NOTE: with nothing in common but the root, the absolute path says more than a row of '..'.
    if common == 0 { return target }
    return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)).joined(separator: "/")
  }

  /// The repository's `Grammar/recipe.schema.json` relative to `directory`, when one is
  /// found in it or above it.
  private static func schemaPath(from directory: String) -> String? {
    var current = directory
    while true {
      let candidate = (current as NSString).appendingPathComponent("Grammar/recipe.schema.json")
      if FileManager.default.fileExists(atPath: candidate) { return relativePath(from: directory, to: candidate) }
      let parent = (current as NSString).deletingLastPathComponent
      if parent == current || parent.isEmpty { return nil }
      current = parent
    }
  }
}
