import Diagnostics

/// A recipe after reading and composition: one merged tree (every node still knows its file
/// and span), the sources diagnostics may quote, and what went wrong so far.
public struct LoadedRecipe: Sendable {
  /// The path of the recipe as the user named it.
  public var file: String
  /// The composed tree; `nil` when the file could not be read as a mapping.
  public var root: YAMLNode?
  /// The recipe files of the `extends` chain, child first.
  public var chain: [String]
  public var sources: SourceFiles
  public var diagnostics: [Diagnostic]

  /// Whether an I/O problem (not the content) stopped loading: `porecipe check` exits 2.
  public var isUnreadable: Bool { diagnostics.contains { $0.code == .unreadableFile } }
}
