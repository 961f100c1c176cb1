import Blocks
import Expr
import Testing

/// The block math against the declarations, and the prelude of formula blocks.
@Suite struct BlockLibraryTests {
  let registry = BlockRegistry.standard

  @Test("each compiled block reads its one declaration from the registry")
  func declarations() {
    let declared: [BlockDecl] = BlockLibrary.estimators.values.map { $0.declaration } + BlockLibrary.modifiers.values.map { $0.declaration }
      + [ImportanceRatio.declaration, ClippedSurrogate.declaration, ClippedImportanceWeight.declaration, TruncatedImportanceWeight.declaration,
         KLPenalty.declaration, EntropyBonus.declaration, ValueLoss.declaration, LossAggregation.declaration, ActorCriticLoss.declaration,
         PenalizedSurrogate.declaration, TrustRegionSurrogate.declaration, MirrorDescentSurrogate.declaration]
    for decl in declared { #expect(registry.block(named: decl.name) == decl, "\(decl.name)") }
    for (name, estimator) in BlockLibrary.estimators { #expect(estimator.declaration.name == name) }
  }

  @Test("the estimators issue 4 lists all have math", arguments: ["gae", "returns", "group_norm", "rloo", "reinforce_pp", "reinforce_pp_baseline", "remax"])
  func estimators(name: String) {
    #expect(BlockLibrary.estimators[name] != nil)
  }

  @Test("every prelude formula checks in the advantage context", arguments: ["group_norm", "group_centered", "rloo"])
  func prelude(name: String) throws {
    let text = try #require(Prelude.formulas[name])
    let (expr, diagnostics) = ExprChecker.check(ExprSource(text: text), in: .advantage,
                                               extraInputs: ["eps": .number(), "unbiased": .number()])
    #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
    #expect(expr?.type.axes == [.batch, .group])
  }

  @Test("prelude names are substituted as whole words")
  func substitution() {
    #expect(Prelude.formulas["group_centered"] == "reward - (where(group_size > 1, mean(reward, over: group), 0))")
  }

  @Test("a variant without meaning is an error at the block, naming the way out")
  func unsupported() throws {
    #expect(throws: CompileError.self) {
      try KLPenalty(BlockParams(KLPenalty.declaration, values: ["estimator": .string("full"), "straight_through": .bool(true)]))
    }
    #expect(throws: CompileError.self) {
      try ImportanceRatio(BlockParams(ImportanceRatio.declaration, values: ["proximal": .string("ewma"), "mode": .string("sequence")]))
    }
    _ = try KLPenalty(BlockParams(KLPenalty.declaration, values: ["estimator": .string("full")]))
    _ = try ImportanceRatio(BlockParams(ImportanceRatio.declaration, values: ["proximal": .string("ewma")]))
  }
}
