import Foundation
import Recipe

/// The recipe keys that name a data file, and where each file is. A relative path is relative
/// to the recipe's directory (to the working directory for a recipe read from no file);
/// `recipe.resolved.yaml` records each made absolute, so that a run directory names exactly
/// the files it read and `porecipe sample RUN_DIR` finds them from anywhere.
extension RecipeValues {
  /// The keys whose string value is a data file's path.
  static let dataFileKeys: Set = ["task.jsonl.path", "task.preference_jsonl.path"]

  /// The file at `key` as an absolute path (nil when unset).
  func dataFile(_ key: String) -> String? { string(key).map(dataFile(path:)) }

  /// `path` as written in the recipe, made absolute against the recipe's directory.
  func dataFile(path: String) -> String {
    guard !path.hasPrefix("/") else { return path }
    let base = recipe.file.hasPrefix("<") ? URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
      : URL(fileURLWithPath: recipe.file).deletingLastPathComponent()
    return base.appendingPathComponent(path).path
  }
}
