import Foundation
import Testing

/// Whole-output expectations kept in `Fixtures/tools/<name>`; `PORECIPE_UPDATE_FIXTURES=1
/// swift test` rewrites them and the diff is reviewed in the commit.
enum Golden {
  static func expect(_ actual: String, matches name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let file = PackagePaths.fixtures.appendingPathComponent("tools").appendingPathComponent(name)
    if PackagePaths.isUpdating { try actual.write(to: file, atomically: true, encoding: .utf8) }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(actual == expected, "Fixtures/tools/\(name) differs: PORECIPE_UPDATE_FIXTURES=1 swift test --disable-xctest rewrites it",
            sourceLocation: sourceLocation)
  }
}
