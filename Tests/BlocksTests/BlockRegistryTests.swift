import Blocks
import Testing

@Suite struct BlockRegistryTests {
  let registry = BlockRegistry.standard

  @Test("block names are unique and the list is sorted")
  func unique() {
    #expect(registry.duplicateNames.isEmpty)
    #expect(registry.blocks.map(\.name) == registry.blocks.map(\.name).sorted())
  }

  @Test("every block has a summary, every parameter a doc")
  func documented() {
    for block in registry.blocks {
      #expect(!block.summary.isEmpty, "\(block.path)")
      for param in block.params { #expect(!param.doc.isEmpty, "\(block.path).\(param.key)") }
    }
  }

  @Test("every method block cites a paper")
  func papers() {
    let method: Set<BlockKind> = [.estimator, .modifier, .slot, .structural, .preference, .rewardTerm, .filter]
    for block in registry.blocks where method.contains(block.kind) {
      #expect(!block.papers.isEmpty, "\(block.path) has no paper")
    }
  }

  @Test("every method block except an external command has its formula, and nothing else has one")
  func formulas() {
    let method: Set<BlockKind> = [.estimator, .modifier, .slot, .structural, .preference, .rewardTerm, .filter]
    for block in registry.blocks {
      let needsFormula = method.contains(block.kind) && block.name != "command"
      #expect((block.formula != nil) == needsFormula, "\(block.path)")
      #expect(block.formula?.hasSuffix("\n") != true, "\(block.path)'s formula ends in a newline")
    }
  }

  @Test("clip's dual parameter says porecipe applies it only when given, unlike verl")
  func dualClipDoc() throws {
    let dual = try #require(registry.block(named: "clip")?.param("dual"))
    #expect(dual.doc.contains("off unless given"))
    #expect(dual.doc.contains("verl always applies 3.0"))
  }

  @Test("the blocks DESIGN.md and issue 4 name are declared", arguments: [
    "gae", "returns", "group_norm", "rloo", "reinforce_pp", "reinforce_pp_baseline", "remax", "batch_norm",
    "ratio", "clip", "cispo", "tis", "kl", "entropy", "value", "aggregate", "ppo_penalty", "trpo", "mdpo", "a2c",
    "dpo", "ipo", "simpo", "kto", "verifier", "overlong", "dynamic_sampling", "cppo_prune", "replay",
    "countdown", "transformer", "adamw", "linear",
  ])
  func declared(name: String) {
    #expect(registry.block(named: name) != nil)
  }

  @Test("defaults lie inside their ranges")
  func defaultsInRange() {
    for block in registry.blocks {
      for param in block.params {
        guard let range = param.range, case .value(let value) = param.defaultValue, let x = value.number else { continue }
        #expect(range.contains(x), "\(block.path).\(param.key) = \(x) outside \(range)")
      }
    }
  }

  @Test("ranges print as BLOCKS.md writes them", arguments: zip(
    [ParamRange.positive, .unitOpenAbove, .fraction, .atLeast(1), .closed(0, 1)], ["> 0", "[0, 1)", "(0, 1]", ">= 1", "[0, 1]"]))
  func rangeText(range: ParamRange, text: String) {
    #expect(range.description == text)
  }

  @Test("an unknown block lists the section's blocks")
  func unknown() {
    guard case .failure(let error) = registry.block(named: "gae", in: .objective) else {
      Issue.record("gae is not an objective block")
      return
    }
    #expect(error.candidates.contains("clip"))
  }
}
