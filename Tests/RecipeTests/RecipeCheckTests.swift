import Diagnostics
import Foundation
import Recipe
import Testing

/// The library entry point of `porecipe check`: files, directories, formats, exit codes.
@Suite struct RecipeCheckTests {
  static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("check")

  @Test("a missing path is exit 2 with 'no such file'")
  func missing() {
    let report = RecipeCheck.run(paths: ["/nonexistent/recipe.yaml"])
    #expect(report.exitCode == 2)
    #expect(report.output == "error: cannot read /nonexistent/recipe.yaml: no such file or directory\n\n")
  }

  @Test("a clean directory is exit 0 with no output")
  func clean() {
    let report = RecipeCheck.run(paths: [PackagePaths.recipes.path])
    #expect(report.exitCode == 0)
    #expect(report.output.isEmpty)
    #expect(report.summary.hasPrefix("checked "))
  }

  @Test("warnings fail only with --strict")
  func strict() throws {
    let path = try #require(Self.fixtures).appendingPathComponent("group-of-one.yaml").path
    #expect(RecipeCheck.run(paths: [path]).exitCode == 0)
    #expect(RecipeCheck.run(paths: [path], strict: true).exitCode == 1)
  }

  @Test("--format json prints one array of objects with end and code")
  func json() throws {
    let path = try #require(Self.fixtures).appendingPathComponent("unknown-key.yaml").path
    let report = RecipeCheck.run(paths: [path], format: .json)
    let array = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [[String: Any]])
    let first = try #require(array.first)
    #expect(first["code"] as? String == "unknown-key")
    #expect(first["line"] as? Int == 3)
    #expect(first["column"] as? Int == 20)
    #expect((first["end"] as? [String: Int]) == ["line": 3, "column": 24])
    #expect(first["suggestion"] as? String == "high")
    #expect(first["severity"] as? String == "error")
  }

  @Test("--format sarif prints a SARIF 2.1.0 log with rules and regions")
  func sarif() throws {
    let path = try #require(Self.fixtures).appendingPathComponent("unknown-key.yaml").path
    let report = RecipeCheck.run(paths: [path], format: .sarif)
    let log = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
    #expect(log["version"] as? String == "2.1.0")
    let run = try #require((log["runs"] as? [[String: Any]])?.first)
    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.first?["ruleId"] as? String == "unknown-key")
    #expect(results.first?["level"] as? String == "error")
  }

  @Test("a directory is searched recursively, skipping hidden directories")
  func walk() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-walk-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    for path in ["a.yaml", "sub/b.yml", ".hidden/c.yaml", "sub/notes.txt"] {
      let url = root.appendingPathComponent(path)
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try "extends: grpo\n".write(to: url, atomically: true, encoding: .utf8)
    }
    let files = RecipeCheck.recipeFiles(in: [root.path]).files.map { String($0.dropFirst(root.path.count + 1)) }
    #expect(files == ["a.yaml", "sub/b.yml"])
  }

  @Test("--set overrides are typed and reported with their provenance")
  func override() {
    let report = RecipeCheck.run(paths: [PackagePaths.recipes.appendingPathComponent("dapo.yaml").path],
                                 overrides: ["objective.clip.high=0.3", "objective.kl=none", "rollout.group=4"])
    #expect(report.exitCode == 0, "\(report.output)")
  }

  @Test("a file larger than 4 MiB is refused with a location")
  func tooLarge() {
    var loader = RecipeLoader()
    let loaded = loader.load(bytes: Array(repeating: UInt8(ascii: "#"), count: (4 << 20) + 1), name: "big.yaml")
    #expect(loaded.diagnostics.map(\.code) == [.fileTooLarge])
    #expect(loaded.diagnostics.first?.span == .start(of: "big.yaml"))
  }
}

/// The first experience of a newcomer: a typo in a shipped recipe.
@Suite struct NewcomerTests {
  @Test("a mistyped key in recipes/dapo.yaml shows the line, the caret and the key meant")
  func typo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("porecipe-typo-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let dapo = try String(contentsOf: PackagePaths.recipes.appendingPathComponent("dapo.yaml"), encoding: .utf8)
    try dapo.replacingOccurrences(of: "high: 0.28", with: "hihg: 0.28")
      .write(to: directory.appendingPathComponent("dapo.yaml"), atomically: true, encoding: .utf8)
    let report = RecipeCheck.run(paths: [directory.appendingPathComponent("dapo.yaml").path])
    #expect(report.exitCode == 1)
    #expect(report.output.replacingOccurrences(of: directory.path + "/", with: "recipes/") == """
      recipes/dapo.yaml:12:20: error: unknown key 'hihg' in objective.clip; did you mean 'high'?
         |
      12 |   clip: {low: 0.2, hihg: 0.28}
         |                    ^^^^
         = note: objective.clip accepts 'low', 'high', 'dual', 'delta'


      """)
  }
}
