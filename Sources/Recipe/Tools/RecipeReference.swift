import Blocks
import Diagnostics
import Foundation

/// A recipe named on the command line: a file, or the name of a built-in recipe
/// (`porecipe diff dapo grpo`). A path that exists wins over a built-in of the same name.
public enum RecipeReference: Sendable, Hashable {
  case file(String)
  case builtin(String)

  /// What `text` names, or an `unreadable-file` diagnostic (with a did-you-mean among the
  /// built-in recipes) when it is neither a file nor a built-in recipe.
  public static func resolve(_ text: String, builtins: [String: String] = BuiltinRecipes.files) -> Result<RecipeReference, Diagnostic> {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory), !isDirectory.boolValue {
      return .success(.file(text))
    }
    let name = text.hasSuffix(".yaml") ? String(text.dropLast(5)) : text
    if !text.contains("/"), builtins[name] != nil { return .success(.builtin(name)) }
    let near = text.contains("/") ? nil : Suggestions.closest(to: name, among: builtins.keys)
    let reason = isDirectory.boolValue ? "is a directory" : "no such file"
    return .failure(Diagnostic(.error, .unreadableFile,
      "cannot read \(text): \(reason), and no built-in recipe has that name" + (near.map { "; did you mean '\($0)'?" } ?? ""),
      at: nil, notes: ["the built-in recipes are \(Suggestions.list(builtins.keys))"], suggestion: near))
  }

  /// The name the loader files the recipe under: the path, or `<builtin>/NAME.yaml`.
  public var sourceName: String {
    switch self {
    case .file(let path): path
    case .builtin(let name): RecipeLoader.builtinPrefix + name + ".yaml"
    }
  }
}
