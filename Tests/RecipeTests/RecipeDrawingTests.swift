import Graph
import Recipe
import Testing

@Suite struct RecipeDrawingTests {
  @Test("every shipped policy-gradient and preference recipe draws, boxes tagged with recipe lines",
        arguments: ["grpo", "dapo", "dr_grpo", "gspo", "rloo", "ppo", "cispo", "dpo"])
  func draws(_ name: String) {
    let report = RecipeDrawing.run(name, format: .dot)
    #expect(report.exitCode == 0, "\(report.messages)")
    #expect(report.output.hasPrefix("// \(name): "))
    #expect(report.output.contains("digraph program {"))
    #expect(report.output.contains("\(name).yaml:"))
  }

  @Test("mermaid output starts with its caption as a comment")
  func mermaid() {
    let report = RecipeDrawing.run("grpo", format: .mermaid)
    #expect(report.output.hasPrefix("%% grpo: the update's loss for 4 sequences in 2 groups × 6 tokens\nflowchart TD\n"))
  }

  @Test("an unknown recipe is an unreadable path (exit 2); --set typos are findings (exit 1)")
  func errors() {
    #expect(RecipeDrawing.run("no_such_recipe_anywhere", format: .dot).exitCode == 2)
    #expect(RecipeDrawing.run("grpo", overrides: ["objective.clip.hihg=0.3"], format: .dot).exitCode == 1)
  }
}
