import Diagnostics
import Recipe
import Runtime

/// Why a run stopped during training, rendered like the checker's diagnostics: a NaN/∞ points
/// at the recipe entry of the block whose term went bad (`path:line:col: error: …`).
enum RunStop {
  /// The block that adds each trainer term, by the term's name in `RuntimeError.nonFinite`.
  static func blockPath(of term: String, in recipe: ResolvedRecipe) -> String {
    let policyLoss = ["clip", "a2c", "ppo_penalty", "mdpo", "trpo"].map { "objective.\($0)" }
      .first { path in recipe.checkResult.usedBlocks.contains { $0.path == path } } ?? "objective"
    switch term {
    case "value_loss": return "objective.value"
    case "entropy": return recipe.block("entropy", in: .objective) != nil ? "objective.entropy" : "policy"
    case "logits": return "policy"
    case "gradient norm": return "optimizer"
    case "loss": return "objective"
    default: return policyLoss
    }
  }

  /// The rendered message for a training error; a NaN/∞ becomes a diagnostic at its block.
  static func render(_ error: any Error, recipe: ResolvedRecipe, directory: String, colored: Bool) -> String {
    let saved = "what the run had is in \(directory)"
    guard case let RuntimeError.nonFinite(iteration, term, value) = error else {
      return "error: the run stopped: \(error); \(saved)\n"
    }
    let path = blockPath(of: term, in: recipe)
    let result = recipe.checkResult
    let span = result.usedBlocks.first { $0.path == path || $0.path.hasPrefix(path + ".") }?.span
      ?? result.keySpans[String(path.split(separator: ".")[0])]
    let overrides = recipe.entries.compactMap { entry -> String? in
      guard case .commandLine = entry.origin, let value = entry.value else { return nil }
      return "\(entry.path) = \(value)"
    }
    var notes = [saved]
    if !overrides.isEmpty { notes.append("set on the command line: " + overrides.joined(separator: ", ")) }
    let diagnostic = Diagnostic(.error, "non-finite", "the run stopped: iteration \(iteration): \(term) is not finite (\(value)) in \(path)",
                                at: span, label: "\(term) comes from this block", notes: notes,
                                help: ["a NaN or ∞ usually means a learning rate or coefficient that is too large"])
    return DiagnosticRenderer(sources: result.sources, colored: colored).render(diagnostic)
  }
}
