import Blocks
import Recipe
import Testing

/// `porecipe blocks [NAME]`: the catalog and one block in full.
@Suite struct BlockCatalogTests {
  @Test("the catalog lists every block by section, with its summary and first paper")
  func catalog() throws {
    let report = BlockCatalog.run()
    #expect(report.exitCode == 0)
    try Golden.expect(report.output, matches: "blocks.txt")
    for block in BlockRegistry.standard.blocks { #expect(report.output.contains("\n  \(block.name) "), "\(block.name)") }
  }

  @Test("blocks clip shows the formula, every parameter, the papers, and the dual-clip difference from verl")
  func clip() throws {
    let report = BlockCatalog.run("clip")
    #expect(report.exitCode == 0)
    #expect(report.output == """
      objective.clip — an objective slot
      PPO clipped surrogate with asymmetric bounds (clip-higher) and optional dual clip.

      formula
        J_t = min(ρ_t·A_t, clip(ρ_t, 1 - low, 1 + high)·A_t)
        with dual: c and A_t < 0:  J_t = max(J_t, c·A_t)

      parameters
        low: float = 0.2, in [0, 1)
            The ratio may fall to 1 - low.
        high: float = same as low, >= 0
            The ratio may rise to 1 + high (DAPO: 0.28).
        dual: float = null, > 1
            Dual clip c: where A < 0, cap the loss at c·|A|; off unless given (verl always applies 3.0: write dual: 3.0 to match it).
        delta: float = null, > 1
            Also cap the ratio at delta (TRL two-sided clipping).

      papers
        Proximal Policy Optimization Algorithms (2017, arXiv:1707.06347)
        DAPO: An Open-Source LLM Reinforcement Learning System at Scale (2025, arXiv:2503.14476)
        Mastering Complex Control in MOBA Games with Deep Reinforcement Learning (2019, arXiv:1912.09729)

      where it runs
        environment and token runs, eval

      where it applies
        objective: {clip: {...}}   (an objective slot; absent or none means off)
        built-in recipes: cppo, dapo, dr_grpo, grpo, gspo, hapo, ppo, ppo_continuous, ppo_token, reinforce_pp, reinforce_pp_baseline, rloo

      """)
  }

  @Test("a block with nested parameters and choices: kl")
  func kl() throws {
    try Golden.expect(BlockCatalog.run("kl").output, matches: "blocks-kl.txt")
  }

  @Test("short-form slots say what their absence means; modifiers and schedules say where they go")
  func placements() {
    #expect(BlockCatalog.run("aggregate").output.contains("  objective: {aggregate: <mode>} or {aggregate: {mode: ..., ...}}   (absent means token_mean)\n"))
    #expect(BlockCatalog.run("batch_norm").output.contains("  advantage: {<estimator>: {...}, then: [{batch_norm: {}}]}"))
    #expect(BlockCatalog.run("linear").output.contains("  schedule: {<parameter path>: {linear: {...}}}"))
    #expect(BlockCatalog.run("rloo").output.contains("parameters\n  none\n"))
    #expect(BlockCatalog.run("dpo").output.contains("(the whole objective: no policy-gradient slots beside it)"))
  }

  @Test("every block renders with its section path and, for method blocks, a formula")
  func everyBlock() {
    let catalog = BlockCatalog()
    for block in BlockRegistry.standard.blocks {
      let text = catalog.text(for: block)
      #expect(text.hasPrefix("\(block.path) — \(block.kind.noun)\n"))
      #expect(text.contains("\nformula\n") == (block.formula != nil), "\(block.path)")
    }
  }

  @Test("a section name lists that section's blocks")
  func section() {
    let output = BlockCatalog.run("filter").output
    #expect(output.hasPrefix("\nfilter: sample filters\n  cppo_prune "))
    #expect(!output.contains("\nadvantage:"))
  }

  @Test("an unknown name exits 1 with a did-you-mean")
  func unknown() {
    #expect(BlockCatalog.run("clpi") == ToolReport(output: """
      error: unknown block 'clpi'; did you mean 'clip'?
        = help: 'porecipe blocks' lists every block by section


      """, exitCode: 1))
    #expect(BlockCatalog.run("zzzzzz").output.hasPrefix("error: unknown block 'zzzzzz'\n"))
  }

  @Test("short citations: the arXiv id, else the title's head and the year")
  func citations() throws {
    let registry = BlockRegistry.standard
    #expect(try #require(registry.block(named: "overlong")?.papers.first).shortCitation == "arXiv:2503.14476")
    #expect(try #require(registry.block(named: "group_norm")?.papers.first).shortCitation == "DeepSeekMath (2024)")
    #expect(try #require(registry.block(named: "returns")?.papers.first).shortCitation == "Asynchronous Methods for Deep … (2016)")
  }
}
