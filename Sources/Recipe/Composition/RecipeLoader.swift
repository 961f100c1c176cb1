import Blocks
import Diagnostics
import Foundation

/// Reads a recipe and composes its `extends` chain: a name is looked up beside the file
/// (`name.yaml`), then among the built-in recipes; a path is relative to the file. Cycles
/// are an error that prints the chain. Parsed files are cached, so checking a directory
/// whose recipes share a parent reads the parent once.
public struct RecipeLoader {
  public let registry: BlockRegistry
  private let builtins: [String: String]
  private var cache: [String: (file: SourceFile?, root: YAMLNode?, diagnostics: [Diagnostic])] = [:]

  public init(registry: BlockRegistry = .standard, builtins: [String: String] = BuiltinRecipes.files) {
    self.registry = registry
    self.builtins = builtins
  }

  /// Loads and composes the recipe at `path` (as the user wrote it).
  public mutating func load(path: String) -> LoadedRecipe {
    var sources = SourceFiles()
    var diagnostics: [Diagnostic] = []
    var chain: [String] = []
    let root = compose(path, isBuiltin: false, chain: &chain, sources: &sources, diagnostics: &diagnostics)
    return LoadedRecipe(file: path, root: root, chain: chain, sources: sources, diagnostics: diagnostics)
  }

  /// Loads recipe text that is not in a file (tests, benchmarks) under the name `name`.
  public mutating func load(text: String, name: String) -> LoadedRecipe {
    load(bytes: Array(text.utf8), name: name)
  }

  /// Loads recipe bytes that are not in a file (fuzzing: any bytes at all) under the name `name`.
  public mutating func load(bytes: [UInt8], name: String) -> LoadedRecipe {
    cache[name] = nil
    let parsed = parse(SourceReader.decode(bytes, name: name))
    cache[name] = parsed
    return load(path: name)
  }

  private mutating func compose(_ path: String, isBuiltin: Bool, chain: inout [String], sources: inout SourceFiles,
                                diagnostics: inout [Diagnostic]) -> YAMLNode? {
    chain.append(path)
    let parsed = read(path, isBuiltin: isBuiltin)
    if let file = parsed.file { sources.add(file) }
    diagnostics += parsed.diagnostics
    guard let root = parsed.root, let extends = root["extends"] else { return parsed.root }
    guard let name = extends.scalar, !extends.isNull else {
      diagnostics.append(Diagnostic(.error, .wrongType, "'extends' takes a recipe name or a path, found \(extends.summary)", at: extends.span))
      return root
    }
    guard let target = resolve(name, from: path, isBuiltin: isBuiltin) else {
      let siblings = siblingRecipeNames(of: path)
      let candidates = Array(builtins.keys) + siblings
      let near = Suggestions.closest(to: name, among: candidates)
      diagnostics.append(Diagnostic(.error, .extendsNotFound,
        "cannot find recipe '\(name)' to extend" + (near.map { "; did you mean '\($0)'?" } ?? ""), at: extends.span,
        notes: ["looked for \(name.hasSuffix(".yaml") || name.contains("/") ? name : name + ".yaml") beside \(path), then among the built-in recipes"
                + (near == nil ? " \(Suggestions.list(builtins.keys))" : "")],
        suggestion: near))
      return root
    }
    if chain.contains(target.path) {
      let cycle = (chain.drop { $0 != target.path } + [target.path]).map { Self.display($0) }.joined(separator: " -> ")
      diagnostics.append(Diagnostic(.error, .extendsCycle, "'extends' forms a cycle: \(cycle)", at: extends.span,
                                    help: ["remove 'extends' from one of these recipes"]))
      return root
    }
    let before = diagnostics.count
    let parent = compose(target.path, isBuiltin: target.isBuiltin, chain: &chain, sources: &sources, diagnostics: &diagnostics)
    for i in before..<diagnostics.count where diagnostics[i].span == nil {
      diagnostics[i].span = extends.span  // an unreadable parent: point at the 'extends' that names it
    }
    guard let parent else { return root }
    return RecipeMerger(registry: registry).merge(parent, root, inheriting: true)
  }

  /// The file or built-in recipe `name` refers to from the recipe at `path`.
  private func resolve(_ name: String, from path: String, isBuiltin: Bool) -> (path: String, isBuiltin: Bool)? {
    let isPath = name.contains("/") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    if isBuiltin {
      let key = isPath ? String(name.split(separator: "/").last ?? "").replacingOccurrences(of: ".yaml", with: "") : name
      return builtins[key] != nil ? (Self.builtinPrefix + key + ".yaml", true) : nil
    }
    let directory = (path as NSString).deletingLastPathComponent
    let join = { (file: String) in directory.isEmpty ? file : (directory as NSString).appendingPathComponent(file) }
    if isPath {
      let candidate = name.hasPrefix("/") ? name : join(name)
      return FileManager.default.fileExists(atPath: candidate) ? (Self.normalize(candidate), false) : nil
    }
    for suffix in [".yaml", ".yml"] where FileManager.default.fileExists(atPath: join(name + suffix)) {
      return (Self.normalize(join(name + suffix)), false)
    }
    return builtins[name] != nil ? (Self.builtinPrefix + name + ".yaml", true) : nil
  }

  /// Built-in recipes print as `<builtin>/grpo.yaml`.
  static let builtinPrefix = "<builtin>/"

  private static func normalize(_ path: String) -> String {
    let standardized = (path as NSString).standardizingPath
    return standardized.isEmpty ? path : standardized
  }

  private static func display(_ path: String) -> String { path }

  private func siblingRecipeNames(of path: String) -> [String] {
    let directory = (path as NSString).deletingLastPathComponent
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
    return files.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { ($0 as NSString).deletingPathExtension }
  }

  private mutating func read(_ path: String, isBuiltin: Bool) -> (file: SourceFile?, root: YAMLNode?, diagnostics: [Diagnostic]) {
    if let cached = cache[path] { return cached }
    let decoded: Result<SourceFile, SourceProblem>
    if isBuiltin, let text = builtins[String(path.dropFirst(Self.builtinPrefix.count).dropLast(5))] {
      decoded = .success(SourceFile(name: path, text: text))
    } else {
      decoded = SourceReader.read(path: path, name: path)
    }
    let parsed = parse(decoded)
    cache[path] = parsed
    return parsed
  }

  private func parse(_ decoded: Result<SourceFile, SourceProblem>) -> (file: SourceFile?, root: YAMLNode?, diagnostics: [Diagnostic]) {
    switch decoded {
    case .failure(let problem): return (problem.lossy, nil, [problem.diagnostic])
    case .success(let file):
      var (root, diagnostics) = YAMLReader.read(file)
      guard let node = root else {
        if diagnostics.isEmpty {
          diagnostics.append(Diagnostic(.error, .emptyRecipe, "\(file.name) is empty; a recipe is a YAML mapping", at: .start(of: file.name),
                                        help: ["start from a built-in recipe: 'extends: grpo'"]))
        }
        return (file, nil, diagnostics)
      }
      if node.entries == nil {
        if node.isNull {
          diagnostics.append(Diagnostic(.error, .emptyRecipe, "\(file.name) is empty; a recipe is a YAML mapping", at: node.span,
                                        help: ["start from a built-in recipe: 'extends: grpo'"]))
        } else {
          diagnostics.append(Diagnostic(.error, .notAMapping, "a recipe is a mapping of sections, found \(node.summary)", at: node.span,
                                        notes: ["a recipe looks like 'task: {...}', 'objective: {...}', one section per line"]))
        }
        root = nil
      }
      return (file, root, diagnostics)
    }
  }
}
