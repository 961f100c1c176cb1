import Foundation
import Recipe
import Testing

@testable import porecipe

/// Which block a NaN/∞ in a trainer term is blamed on.
@Suite struct RunStopTests {
  static let recipes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("recipes")

  func resolved(_ name: String) throws -> ResolvedRecipe {
    guard case .loaded(let recipe, _) = RunRecipe.load(Self.recipes.appendingPathComponent("\(name).yaml").path, overrides: [], colored: false) else {
      throw RunSetup.Refusal(description: "\(name) does not load")
    }
    return recipe
  }

  @Test("each term names its block: the policy loss of the recipe, the value and entropy blocks, the policy, the optimizer",
        arguments: zip(["ppo", "a2c", "trpo", "mdpo", "ppo_penalty"],
                       ["objective.clip", "objective.a2c", "objective.trpo", "objective.mdpo", "objective.ppo_penalty"]))
  func blocks(recipe name: String, policyLoss: String) throws {
    let recipe = try resolved(name)
    #expect(RunStop.blockPath(of: "pg_loss", in: recipe) == policyLoss)
    #expect(RunStop.blockPath(of: "approx_kl", in: recipe) == policyLoss)
    #expect(RunStop.blockPath(of: "value_loss", in: recipe) == "objective.value")
    #expect(RunStop.blockPath(of: "logits", in: recipe) == "policy")
    #expect(RunStop.blockPath(of: "gradient norm", in: recipe) == "optimizer")
    #expect(RunStop.blockPath(of: "entropy", in: recipe) == (["trpo", "mdpo"].contains(name) ? "policy" : "objective.entropy"))
  }

  @Test("an error that is not a NaN/∞ keeps the plain form")
  func plain() throws {
    let text = RunStop.render(RunSetup.Refusal(description: "disk full"), recipe: try resolved("ppo"), directory: "runs/x", colored: false)
    #expect(text == "error: the run stopped: disk full; what the run had is in runs/x\n")
  }
}
