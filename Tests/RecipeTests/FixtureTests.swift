import Diagnostics
import Foundation
import Recipe
import Testing

/// `Fixtures/check/<case>.yaml` beside `<case>.expected`, the exact no-colour output of
/// `porecipe check` on it. A first line `# args: --set path=value --strict` passes
/// arguments. `PORECIPE_UPDATE_FIXTURES=1 swift test` rewrites the expectations.
@Suite struct FixtureTests {
  static let directory: URL? = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("check")

  static var cases: [String] {
    guard let directory else { return [] }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
  }

  /// Runs the check of one fixture: the rendered output with the fixture folder's path removed, and the report.
  static func run(_ name: String) throws -> (output: String, report: CheckReport) {
    let directory = try #require(Self.directory)
    let path = directory.appendingPathComponent(name + ".yaml").path
    let firstLine = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").first ?? ""
    var overrides: [String] = []
    var strict = false
    if firstLine.hasPrefix("# args:") {
      var words = Self.shellWords(String(firstLine.dropFirst("# args:".count)))[...]
      while let word = words.popFirst() {
        if word == "--strict" { strict = true }
        if word == "--set", let value = words.popFirst() { overrides.append(value) }
      }
    }
    let report = RecipeCheck.run(paths: [path], overrides: overrides, strict: strict)
    let output = report.output.replacingOccurrences(of: directory.path + "/", with: "check/")
    return (output + "exit \(report.exitCode)\n", report)
  }

  /// Splits on spaces, keeping 'single-quoted' runs together (without the quotes).
  static func shellWords(_ line: String) -> [String] {
    var words: [String] = [], current = "", quoted = false
    for character in line {
      if character == "'" { quoted.toggle(); continue }
      if character == " " && !quoted {
        if !current.isEmpty { words.append(current) }
        current = ""
      } else {
        current.append(character)
      }
    }
    return current.isEmpty ? words : words + [current]
  }

  @Test("there are at least 40 fixtures")
  func count() {
    #expect(Self.cases.count >= 40)
  }

  @Test("a bad recipe prints exactly its expected diagnostics", arguments: cases)
  func fixture(name: String) throws {
    let (output, _) = try Self.run(name)
    let expectedURL = PackagePaths.fixtures.appendingPathComponent("check/\(name).expected")
    if PackagePaths.isUpdating {
      try output.write(to: expectedURL, atomically: true, encoding: .utf8)
      return
    }
    let expected = try String(contentsOf: expectedURL, encoding: .utf8)
    #expect(output == expected)
  }

  @Test("the fixtures cover every diagnostic code of the catalog")
  func coverage() throws {
    var seen = Set<DiagnosticCode>()
    for name in Self.cases { seen.formUnion(try Self.run(name).report.diagnostics.map(\.code)) }
    let uncovered = DiagnosticCatalog.entries.map(\.code).filter { !seen.contains($0) && $0 != .internalError && $0 != .fileTooLarge }
    #expect(uncovered.isEmpty, "no fixture for \(uncovered)")
  }

  @Test("every fixture has findings, and each finding has a location")
  func located() throws {
    for name in Self.cases {
      let report = try Self.run(name).report
      #expect(!report.diagnostics.isEmpty, "\(name) has no findings")
      #expect(report.diagnostics.allSatisfy { $0.span != nil || $0.code == .unreadableFile }, "\(name)")
    }
  }
}
