/// A paper a block or recipe follows. `arxiv` is set only where BLOCKS.md gives the id
/// unmarked (checked); unconfirmed ids are left out rather than guessed.
public struct Paper: Sendable, Hashable {
  public var title: String
  public var year: Int
  public var arxiv: String?

  public init(_ title: String, _ year: Int, arxiv: String? = nil) {
    self.title = title
    self.year = year
    self.arxiv = arxiv
  }

  /// `DAPO (2025, arXiv:2503.14476)`.
  public var citation: String {
    "\(title) (\(year)" + (arxiv.map { ", arXiv:\($0)" } ?? "") + ")"
  }
}

/// The declaration of a block: its key, where it goes, what it is, its parameters and its
/// papers. The math lives elsewhere (the block library); the checker needs only this.
public struct BlockDecl: Sendable, Hashable {
  /// The YAML key naming the block (`group_norm`).
  public var name: String
  public var section: Section
  public var kind: BlockKind
  /// One sentence: what the block computes.
  public var summary: String
  public var papers: [Paper]
  public var params: [ParamDecl]
  /// The parameter a bare scalar sets (`ratio: token` means `{mode: token}`).
  public var shortForm: String?
  /// What the block computes, as BLOCKS.md writes it (one formula per line, objectives J to
  /// maximize unless the block is a loss ℓ); `nil` for blocks that are not formulas
  /// (tasks, models, optimizers). `porecipe blocks NAME` prints it.
  public var formula: String?
  /// The run kinds that implement the block and whether `porecipe eval` does; the checker
  /// reports `not-implemented` for a recipe whose run kind is not among them.
  public var support: Support

  public init(_ name: String, _ section: Section, _ kind: BlockKind, _ summary: String,
              papers: [Paper] = [], params: [ParamDecl] = [], shortForm: String? = nil, formula: String? = nil,
              support: Support) {
    self.name = name
    self.section = section
    self.kind = kind
    self.summary = summary
    self.papers = papers
    self.params = params
    self.shortForm = shortForm
    self.formula = formula
    self.support = support
  }

  /// The parameter with YAML key `key`.
  public func param(_ key: String) -> ParamDecl? { params.first { $0.key == key } }

  /// `objective.clip`.
  public var path: String { "\(section.rawValue).\(name)" }
}
