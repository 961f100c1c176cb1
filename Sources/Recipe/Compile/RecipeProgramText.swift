import Blocks
import Expr
import Graph

/// The compiled update of a recipe as `explain` prints it: the forward graph (advantages,
/// loss and terms; the gradient adds its reverse pass) for a small example batch, every
/// equation with the recipe line that made it.
public enum RecipeProgramText {
  /// The example shape: 4 sequences in 2 groups × 6 tokens, or 2 preference pairs.
  public static let layout = RowLayout(groups: [0, 0, 1, 1], tokens: 6)

  /// The text, or `nil` when the recipe's objective does not compile for a batch (which
  /// `check` reports as `compile-error`).
  public static func forward(of result: CheckResult) -> String? {
    guard let (graph, caption) = try? program(of: result) else { return nil }
    return "program (\(caption); eval adds its gradient)\n" + graph.description + "\n"
  }

  /// The compiled forward graph for the example batch and a caption saying what it
  /// computes; the error names the block that does not compile for a batch.
  public static func program(of result: CheckResult) throws(CompileError) -> (graph: Graph, caption: String) {
    do {
      if let (loss, span) = try PolicyCompiler.preferenceLoss(from: result) {
        let program = try PreferenceProgram.compile(loss, rows: 2, items: 3, span: span, differentiates: false)
        let rows = switch loss.format { case .pairs: "2 preference pairs"; case .unpaired: "2 labelled responses"; case .lists: "2 lists of 3 responses" }
        return (program.graph, "the loss on \(rows)")
      }
      let recipe = try PolicyCompiler.recipe(from: result)
      // The outcome reward alone when the recipe needs nothing more; else the critic, entropy
      // and baseline inputs too (never token rewards, which would replace the outcome reward).
      let extra: Set<PolicyBatch.Input> = [.values, .valuePred, .entropy, .baselineReward]
      let caption = "the update's loss for 4 sequences in 2 groups × 6 tokens"
      if let minimal = try? PolicyProgram.compile(recipe, layout: layout, present: [], differentiates: false) {
        return (minimal.graph, caption)
      }
      if let program = try? PolicyProgram.compile(recipe, layout: layout, present: extra, differentiates: false) {
        return (program.graph, caption)
      }
      // The proximal policy (ratio.proximal: ewma) and whole distributions (kl.estimator: full).
      let distributions: Set<PolicyBatch.Input> = [.proxLogp, .logpFull, .oldLogpFull, .refLogpFull]
      let full = caption + (recipe.kl?.estimator == .full ? ", distributions over a vocabulary of 3" : "")
      let needed = distributions.filter { input in
        switch input {
        case .proxLogp: recipe.ratio.proximal == .ewma
        case .logpFull: recipe.kl?.estimator == .full && recipe.kl?.placement == .loss
        case .oldLogpFull: recipe.kl?.estimator == .full && (recipe.kl?.placement == .reward || recipe.kl?.isAgainstOld == true)
        default: recipe.kl?.estimator == .full && (recipe.kl?.placement == .reward || recipe.kl?.isAgainstOld == false)
        }
      }
      if let program = try? PolicyProgram.compile(recipe, layout: layout, present: needed, vocabulary: 3, differentiates: false) {
        return (program.graph, full)
      }
      let program = try PolicyProgram.compile(recipe, layout: layout, present: extra.union(needed), vocabulary: 3, differentiates: false)
      return (program.graph, full)
    } catch let error as CompileError {
      throw error
    } catch {
      throw CompileError("internal error: \(error) (please report)")
    }
  }
}
