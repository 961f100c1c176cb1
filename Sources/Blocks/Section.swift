/// The fixed top-level sections of a recipe (DESIGN.md, "The recipe language"), in the
/// order a recipe usually writes them.
public enum Section: String, Sendable, Hashable, CaseIterable {
  case recipe, paper, extends, task, policy, rollout, reward, filter, advantage, objective, optimizer, schedule, train
}

/// How many blocks a section holds.
public enum BlockCount: Sendable, Hashable {
  /// No blocks: the section is a scalar or a mapping of parameters.
  case none
  /// Exactly one block key (`task`, `advantage`, `optimizer`, the model of `policy`).
  case one
  /// Any number of distinct blocks (`reward`, `filter`, the slots of `objective`).
  case many
}

/// The declaration of a top-level section: what it holds and what it is for.
public struct SectionDecl: Sendable, Hashable {
  public var section: Section
  public var summary: String
  /// For `recipe` and `extends`: the scalar's type.
  public var scalar: ParamType?
  /// Keys that are not blocks (`rollout.group`, `advantage.then`, `objective.expr`).
  public var params: [ParamDecl]
  public var blockCount: BlockCount

  public init(_ section: Section, _ summary: String, scalar: ParamType? = nil, params: [ParamDecl] = [],
              blockCount: BlockCount = .none) {
    self.section = section
    self.summary = summary
    self.scalar = scalar
    self.params = params
    self.blockCount = blockCount
  }

  public var name: String { section.rawValue }

  /// The non-block key `key`.
  public func param(_ key: String) -> ParamDecl? { params.first { $0.key == key } }
}
