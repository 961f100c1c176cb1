/// A block name that is not declared, with the names it could have meant.
public struct UnknownBlock: Error, Sendable, Hashable {
  public var name: String
  public var candidates: [String]
}

/// Every block a recipe can name: one explicit list, sorted by name (STYLE.md §4). No
/// global registration: adding a block is adding its declaration to this list.
public struct BlockRegistry: Sendable {
  /// The declarations, sorted by name.
  public let blocks: [BlockDecl]
  private let byName: [String: BlockDecl]

  /// The built-in blocks.
  public static let standard = BlockRegistry([
    .a2c,
    .acrobot,
    .adam,
    .adamw,
    .aggregate,
    .allNegativeRefine,
    .aot,
    .aotPair,
    .apa,
    .apoDown,
    .apoZero,
    .arithmetic,
    .batchNorm,
    .bcoPair,
    .cartpole,
    .cispo,
    .clip,
    .command,
    .constant,
    .contrastiveFeature,
    .cosine,
    .countdown,
    .cppoPrune,
    .discopop,
    .dither,
    .dpo,
    .dynamicSampling,
    .entropy,
    .entropyScale,
    .entropyTokens,
    .exoPair,
    .format,
    .gae,
    .groupNorm,
    .hinge,
    .ipo,
    .jsonl,
    .kl,
    .kto,
    .lengthHistory,
    .lengthLinear,
    .lengthTarget,
    .linear,
    .lipo,
    .mdpo,
    .mlp,
    .mountainCar,
    .ncaPair,
    .orpo,
    .overlong,
    .pairwise,
    .partialCredit,
    .pendulum,
    .policyFiltration,
    .ppoPenalty,
    .preference,
    .preferenceJSONL,
    .pro,
    .ratio,
    .regression,
    .reinforcePP,
    .reinforcePPBaseline,
    .remax,
    .repetition,
    .replay,
    .returns,
    .rloo,
    .robust,
    .sampleDropout,
    .sgd,
    .sigmoidNorm,
    .simpo,
    .sorting,
    .sppoHard,
    .step,
    .stepCountShape,
    .taskSelection,
    .tis,
    .transformer,
    .trpo,
    .value,
    .verifier,
  ])

  /// A registry of `blocks`; a later duplicate name is ignored (a test keeps the standard list free of them).
  public init(_ blocks: [BlockDecl]) {
    self.blocks = blocks.sorted { $0.name < $1.name }
    self.byName = Dictionary(blocks.map { ($0.name, $0) }) { first, _ in first }
  }

  /// Blocks that were renamed, old name to new: a recipe naming the old one gets an error
  /// that names the new one (DESIGN.md: rename none without such an error).
  public static let renamed: [String: String] = ["prompts": "jsonl"]

  /// The block named `name` in any section.
  public func block(named name: String) -> BlockDecl? { byName[name] }

  /// The block named `name` in `section`, or the typed error listing that section's blocks.
  public func block(named name: String, in section: Section) -> Result<BlockDecl, UnknownBlock> {
    if let decl = byName[name], decl.section == section { return .success(decl) }
    return .failure(UnknownBlock(name: name, candidates: blocks(in: section).map(\.name)))
  }

  /// The blocks of `section`, sorted by name.
  public func blocks(in section: Section) -> [BlockDecl] { blocks.filter { $0.section == section } }

  /// The blocks of `kind`, sorted by name.
  public func blocks(of kind: BlockKind) -> [BlockDecl] { blocks.filter { $0.kind == kind } }

  /// Names that occur twice (should be none).
  public var duplicateNames: [String] {
    Dictionary(grouping: blocks, by: \.name).filter { $0.value.count > 1 }.keys.sorted()
  }
}
