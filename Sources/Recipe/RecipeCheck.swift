import Blocks
import Diagnostics
import Foundation

/// How `porecipe check` prints its findings.
public enum OutputFormat: String, CaseIterable, Sendable {
  case text, json, sarif
}

/// What `porecipe check` prints and how it exits: 0 clean, 1 findings, 2 an unreadable path.
public struct CheckReport: Sendable {
  public var output: String
  public var summary: String
  public var exitCode: Int32
  public var diagnostics: [Diagnostic]
}

/// The library side of `porecipe check PATH...`: find the recipes, check each, render.
public enum RecipeCheck {
  /// The recipe files under `paths`: files as given, directories searched recursively for
  /// `*.yaml`/`*.yml`, skipping hidden directories and `.build`. Missing paths are
  /// `unreadable-file` diagnostics.
  public static func recipeFiles(in paths: [String]) -> (files: [String], diagnostics: [Diagnostic]) {
    var files: [String] = []
    var diagnostics: [Diagnostic] = []
    let fileManager = FileManager.default
    for path in paths {
      var isDirectory: ObjCBool = false
      guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
        diagnostics.append(Diagnostic(.error, .unreadableFile, "cannot read \(path): no such file or directory", at: nil))
        continue
      }
      guard isDirectory.boolValue else {
        files.append(path)
        continue
      }
      var found: [String] = []
      walk(path, into: &found)
      files += found.sorted()
    }
    return (files, diagnostics)
  }

  private static func walk(_ directory: String, into found: inout [String]) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
    for name in names where !name.hasPrefix(".") {
      let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
      if isDirectory.boolValue {
        walk(path, into: &found)
      } else if name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
        found.append(path)
      }
    }
  }

  /// Checks every recipe under `paths` with `overrides` applied to each.
  public static func run(paths: [String], overrides: [String] = [], format: OutputFormat = .text, strict: Bool = false,
                         colored: Bool = false, registry: BlockRegistry = .standard) -> CheckReport {
    let (files, missing) = recipeFiles(in: paths)
    var loader = RecipeLoader(registry: registry)
    var diagnostics = missing
    var sources = SourceFiles()
    for file in files {
      let result = RecipeChecker.check(path: file, overrides: overrides, loader: &loader)
      diagnostics += result.diagnostics
      sources.merge(result.sources)
    }
    diagnostics = Diagnostic.sortedUnique(diagnostics)
    let output: String = switch format {
    case .text: DiagnosticRenderer(sources: sources, colored: colored).render(diagnostics)
    case .json: Diagnostic.jsonDocument(diagnostics)
    case .sarif: Diagnostic.sarifDocument(diagnostics, rules: DiagnosticCatalog.summaries)
    }
    let unreadable = diagnostics.contains { $0.code == .unreadableFile }
    let exitCode: Int32 = unreadable ? 2 : diagnostics.fails(strict: strict) ? 1 : 0
    return CheckReport(output: output, summary: summary(diagnostics, files: files.count), exitCode: exitCode, diagnostics: diagnostics)
  }

  /// `checked 5 recipes: 2 errors, 1 warning`.
  static func summary(_ diagnostics: [Diagnostic], files: Int) -> String {
    let errors = diagnostics.filter { $0.severity >= .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    let counts = [errors > 0 ? "\(errors) error\(errors == 1 ? "" : "s")" : nil, warnings > 0 ? "\(warnings) warning\(warnings == 1 ? "" : "s")" : nil]
      .compactMap { $0 }
    return "checked \(files) recipe\(files == 1 ? "" : "s"): " + (counts.isEmpty ? "no findings" : counts.joined(separator: ", "))
  }
}
