import Foundation

/// Paths in the package's source tree (for the files tests compare with or rewrite).
enum PackagePaths {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let recipes = root.appendingPathComponent("recipes")
  static let grammar = root.appendingPathComponent("Grammar")
  static let fixtures = root.appendingPathComponent("Tests/RecipeTests/Fixtures")

  /// Whether tests should rewrite expectations instead of comparing (`PORECIPE_UPDATE_FIXTURES=1`).
  static var isUpdating: Bool { ProcessInfo.processInfo.environment["PORECIPE_UPDATE_FIXTURES"] == "1" }
}
