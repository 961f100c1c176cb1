/// A named axis of a batch (DESIGN.md): prompts or environments, samples per prompt, and
/// response positions (`step` is the same axis for environment tasks).
public enum Axis: String, Sendable, Hashable, CaseIterable, Comparable {
  case batch, group, token

  /// The axis a name in `over:` denotes (`step` is an alias of `token`).
  public init?(spelling: String) {
    if spelling == "step" { self = .token } else if let axis = Axis(rawValue: spelling) { self = axis } else { return nil }
  }

  /// Every spelling `over:` accepts.
  public static var spellings: [String] { allCases.map(\.rawValue) + ["step"] }

  public static func < (a: Axis, b: Axis) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

/// The type of an expression value: its element kind and the axes it varies along
/// (`reward` is a number over `[batch, group]`; a constant has no axes).
public struct ExprType: Sendable, Hashable, CustomStringConvertible {
  /// What one element is.
  public enum Element: String, Sendable, Hashable { case number, boolean }

  public var element: Element
  public var axes: Set<Axis>

  public init(_ element: Element = .number, axes: Set<Axis> = []) {
    self.element = element
    self.axes = axes
  }

  /// A number with the given axes.
  public static func number(_ axes: Axis...) -> ExprType { ExprType(.number, axes: Set(axes)) }

  /// The axes, sorted: `[batch, group, token]`.
  public var axesDescription: String { "[" + axes.sorted().map(\.rawValue).joined(separator: ", ") + "]" }

  public var description: String { element.rawValue + axesDescription }
}
