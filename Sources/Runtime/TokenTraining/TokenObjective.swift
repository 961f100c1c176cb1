import Blocks
import Core
import Expr
import Graph

/// A recipe's advantage stage compiled for a token run's whole batch (its group layout
/// compiled in) and planned: rewards and old/ref log-probs in, `advantages` (and `returns`
/// for estimators that define them) out. The update itself is `TokenUpdateProgram`.
///
/// KL in the reward (`kl: {in: reward}`) is part of this stage; an adaptive coefficient
/// recompiles it (it is small: no transformer in it).
public final class TokenObjective {
  public private(set) var recipe: PolicyRecipe
  public let rows: Int, group: Int, tokens: Int
  private let present: Set<PolicyBatch.Input>
  private var program: PolicyProgram
  private var executable: Executable

  /// The inputs a token batch binds.
  public static func present(for recipe: PolicyRecipe, hasValues: Bool, hasBaseline: Bool) -> Set<PolicyBatch.Input> {
    var present: Set<PolicyBatch.Input> = [.logp, .oldLogp, .refLogp, .reward, .entropy]
    if hasValues { present.formUnion([.values, .valuePred]) }
    if hasBaseline { present.insert(.baselineReward) }
    return present
  }

  /// Compiles `recipe`'s advantage stage for `rows` responses of `tokens` tokens in groups of
  /// `group` consecutive rows.
  public init(recipe: PolicyRecipe, rows: Int, group: Int, tokens: Int, present: Set<PolicyBatch.Input>) throws(RuntimeError) {
    self.recipe = recipe
    (self.rows, self.group, self.tokens, self.present) = (rows, group, tokens, present)
    (program, executable) = try Self.compile(recipe, rows: rows, group: group, tokens: tokens, present: present)
  }

  private static func compile(_ recipe: PolicyRecipe, rows: Int, group: Int, tokens: Int,
                              present: Set<PolicyBatch.Input>) throws(RuntimeError) -> (PolicyProgram, Executable) {
    do {
      let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: (0..<rows).map { $0 / group }, tokens: tokens),
                                              present: present, stage: .evaluation, differentiates: false)
      let builder = GraphBuilder(extending: program.graph)
      let kept = zip(program.outputNames, program.graph.outputs).filter { ["advantages", "returns"].contains($0.0) }.map { builder.value($0.1) }
      return (program, try Planner.plan(try builder.build(outputs: kept)))
    } catch let error as CompileError {
      throw .invalidConfiguration(reason: "the advantage does not compile for token batches: \(error.message)")
    } catch let error as GraphError {
      throw .graph(error)
    } catch {
      throw .invalidConfiguration(reason: "\(error)")
    }
  }

  /// Advantages (and returns) for the whole batch: `[rows, tokens]` each.
  public func advantages(_ inputs: [String: Tensor]) throws(RuntimeError) -> (advantages: Tensor, returns: Tensor?) {
    do {
      let outputs = try executable.run(inputs)
      return (outputs[0], outputs.count > 1 ? outputs[1] : nil)
    } catch { throw .graph(error) }
  }

  /// A new KL coefficient; only KL in the reward lives in this stage.
  public func setKLCoefficient(_ coefficient: Double) throws(RuntimeError) {
    guard var kl = recipe.kl, kl.placement == .reward, kl.coefficient != coefficient else { return }
    kl.coefficient = coefficient
    recipe.kl = kl
    (program, executable) = try Self.compile(recipe, rows: rows, group: group, tokens: tokens, present: present)
  }
}
