import Blocks
import Core
import Expr
import Graph

/// A recipe's `advantage` and `objective` compiled twice for a token run, both planned to
/// allocation-free executables:
///
/// - the advantage stage on the whole batch (its group layout compiled in): rewards and
///   old/ref log-probs in, `advantages` (and `returns` for estimators that define them) out;
/// - the update on one minibatch: log-probs now, advantages and the minibatch's token and
///   sequence counts in; the loss, its terms and `grad_logp` (d loss / d logp, and
///   `grad_value_pred` with a value loss) out — the seed of the transformer's backward pass.
///
/// The aggregation divides by the whole minibatch's counts, so the blocks' formulas are
/// exactly those `porecipe eval` checks against verl.
public final class TokenObjective {
  public let recipe: PolicyRecipe
  public let rows: Int, minibatchRows: Int, tokens: Int
  private let advantageProgram: PolicyProgram
  private let advantageExecutable: Executable
  private var updateProgram: PolicyProgram
  private var updateExecutable: Executable
  /// The KL coefficient compiled into the update (adaptive KL recompiles when it moves).
  public private(set) var klCoefficient: Double?

  /// What one minibatch update computed.
  public struct Update {
    public var loss: Double
    /// The aggregated terms before their coefficients, by name (`pg_loss`, `kl`, `value_loss`, …).
    public var terms: [String: Double]
    public var gradLogp: Tensor
    public var gradValue: Tensor?
  }

  /// The inputs a token batch binds.
  public static func present(for recipe: PolicyRecipe, hasValues: Bool, hasBaseline: Bool) -> Set<PolicyBatch.Input> {
    var present: Set<PolicyBatch.Input> = [.logp, .oldLogp, .refLogp, .reward, .entropy]
    if hasValues { present.formUnion([.values, .valuePred]) }
    if hasBaseline { present.insert(.baselineReward) }
    return present
  }

  /// Compiles `recipe` for batches of `rows` responses of `tokens` tokens in groups of
  /// `group` consecutive rows, updated `minibatchRows` at a time.
  public init(recipe: PolicyRecipe, rows: Int, group: Int, minibatchRows: Int, tokens: Int,
              hasValues: Bool, hasBaseline: Bool) throws(RuntimeError) {
    self.recipe = recipe
    (self.rows, self.minibatchRows, self.tokens) = (rows, minibatchRows, tokens)
    klCoefficient = recipe.kl?.coefficient
    let present = Self.present(for: recipe, hasValues: hasValues, hasBaseline: hasBaseline)
    do {
      advantageProgram = try PolicyProgram.compile(recipe, layout: RowLayout(groups: (0..<rows).map { $0 / group }, tokens: tokens),
                                                   present: present, stage: .evaluation, differentiates: false)
      advantageExecutable = try Planner.plan(Self.pruned(advantageProgram, keeping: ["advantages", "returns"]))
      (updateProgram, updateExecutable) = try Self.compileUpdate(recipe, rows: minibatchRows, tokens: tokens, present: present)
    } catch let error as CompileError {
      throw .invalidConfiguration(reason: "the objective does not compile for token batches: \(error.message)")
    } catch let error as GraphError {
      throw .graph(error)
    } catch {
      throw .invalidConfiguration(reason: "\(error)")
    }
  }

  private static func compileUpdate(_ recipe: PolicyRecipe, rows: Int, tokens: Int,
                                    present: Set<PolicyBatch.Input>) throws -> (PolicyProgram, Executable) {
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: Array(0..<rows), tokens: tokens), present: present, stage: .update)
    return (program, try Planner.plan(program.graph))
  }

  /// The graph with only the named outputs (the advantage stage needs no loss).
  private static func pruned(_ program: PolicyProgram, keeping names: Set<String>) throws(GraphError) -> Graph {
    let builder = GraphBuilder(extending: program.graph)
    let kept = zip(program.outputNames, program.graph.outputs).filter { names.contains($0.0) }.map { builder.value($0.1) }
    return try builder.build(outputs: kept)
  }

  /// Whether the advantage stage defines returns (the critic's targets).
  public var hasReturns: Bool { advantageProgram.outputNames.contains("returns") }

  /// Advantages (and returns) for the whole batch: `[rows, tokens]` each.
  public func advantages(_ inputs: [String: Tensor]) throws(RuntimeError) -> (advantages: Tensor, returns: Tensor?) {
    do {
      let outputs = try advantageExecutable.run(inputs)
      return (outputs[0], outputs.count > 1 ? outputs[1] : nil)
    } catch { throw .graph(error) }
  }

  /// Sets a new KL coefficient (adaptive KL): the update is recompiled with it.
  public func setKLCoefficient(_ coefficient: Double) throws(RuntimeError) {
    guard var kl = recipe.kl, coefficient != klCoefficient else { return }
    kl.coefficient = coefficient
    var changed = recipe
    changed.kl = kl
    do {
      (updateProgram, updateExecutable) = try Self.compileUpdate(
        changed, rows: minibatchRows, tokens: tokens, present: Set(updateProgram.graph.inputNames.compactMap(PolicyBatch.Input.init(rawValue:))))
      klCoefficient = coefficient
    } catch let error as GraphError { throw .graph(error) } catch { throw .invalidConfiguration(reason: "\(error)") }
  }

  /// One minibatch: the loss, its terms and the gradient seeds. `inputs` binds `mask`,
  /// `logp`, `old_logp`, `ref_logp`, `reward`, `entropy`, `advantages`, (`returns`,
  /// `values`, `value_pred`), and the minibatch counts `token_count`, `sequence_count`, `row_count`.
  public func update(_ inputs: [String: Tensor]) throws(RuntimeError) -> Update {
    let outputs: [Tensor]
    do { outputs = try updateExecutable.run(inputs) } catch { throw .graph(error) }
    var update = Update(loss: 0, terms: [:], gradLogp: Tensor(scalar: 0), gradValue: nil)
    for (name, tensor) in zip(updateProgram.outputNames, outputs) {
      switch name {
      case "loss": update.loss = Double(tensor.scalars[0])
      case "grad_logp": update.gradLogp = tensor
      case "grad_value_pred": update.gradValue = tensor
      default: if name.hasPrefix("terms.") { update.terms[String(name.dropFirst(6))] = Double(tensor.scalars[0]) }
      }
    }
    return update
  }
}
