import Blocks
import Core
import Expr
import Graph

/// One minibatch update as a single planned graph: the transformer's forward pass, the
/// recipe's compiled objective on its log-probs (and values and entropies), and the gradient
/// of the loss with respect to every parameter.
///
/// Fusing the two programs spares the forward pass that a separate objective would need to
/// learn d loss / d logp first, and lets the entropy bonus differentiate through the logits.
/// The objective's aggregation divides by the minibatch's counts (`token_count`,
/// `sequence_count`, `row_count` inputs), exactly as `PolicyProgram.Stage.update` defines.
///
/// The minibatch is whole groups of `group` consecutive rows, compiled in as
/// `porecipe eval` compiles a batch's groups, and binds the batch's real per-response
/// inputs (`reward`, `baseline_reward`) beside advantages and returns: a formula in
/// `objective.expr` sees in training what it sees in `eval`.
public final class TokenUpdateProgram {
  public let rows: Int, tokens: Int
  private let parameterNames: [String]
  private let executable: Executable
  /// The objective's output names (`loss`, `terms.<name>`), then the gradients.
  private let termNames: [String]
  /// Whether the loss takes its KL coefficient as the input `kl_coef`.
  private let hasKLInput: Bool
  /// Whether the loss takes a structural rule's penalty coefficient (`ppo_penalty`'s β,
  /// `mdpo`'s 1/t_k) as the input `penalty_coef`.
  public let hasPenaltyInput: Bool

  /// What one update computed.
  public struct Result {
    public var loss: Double
    /// The objective's `terms.<name>` outputs by name: the aggregated terms (`pg_loss`,
    /// `kl`, …) and a clipping rule's clip fractions (`clip_frac_low`, `clip_frac_high`, …).
    public var terms: [String: Double]
    public var gradients: [Tensor]
  }

  /// - Parameters:
  ///   - rows: the minibatch's rows, whole groups of `group` consecutive rows.
  ///   - workspace: where the update keeps its intermediate values; shared with the
  ///     trainer's other programs, which never run at the same time.
  public init(policy: TransformerConfiguration, recipe: PolicyRecipe, rows: Int, group: Int, promptLength: Int, tokens: Int,
       present: Set<PolicyBatch.Input>, workspace: Workspace = Workspace()) throws(RuntimeError) {
    (self.rows, self.tokens) = (rows, tokens)
    guard group >= 1, rows % group == 0 else {
      throw .invalidConfiguration(reason: "internal error: a minibatch of \(rows) rows is not whole groups of \(group) (please report)")
    }
    let forward = try TransformerGraph(policy, rows: rows, promptLength: promptLength, responseLength: tokens)
    let layout = TransformerParameters.layout(of: policy)
    parameterNames = layout.map(\.name)
    // KL in the loss enters as loss + kl_coef · kl with kl_coef an input, so an adaptive
    // coefficient moves without recompiling.
    var recipe = recipe
    hasKLInput = recipe.kl?.placement == .loss
    if hasKLInput { recipe.kl?.coefficient = 0 }
    let objective: PolicyProgram
    do {
      objective = try PolicyProgram.compile(recipe, layout: RowLayout(groups: (0..<rows).map { $0 / group }, tokens: tokens),
                                            present: present, stage: .update, differentiates: false,
                                            penaltyCoefficientInput: "penalty_coef")
    } catch {
      throw .invalidConfiguration(reason: "the objective does not compile for token batches: \(error.message)")
    }
    let g = GraphBuilder(extending: forward.graph)
    let outputs = forward.graph.outputs.map { g.value($0) }
    var bindings = ["logp": outputs[0], "entropy": outputs[1]]
    if policy.valueHead { bindings["value_pred"] = outputs[2] }
    var objectiveOutputs = g.inline(objective.graph, bindings: bindings)
    termNames = objective.outputNames
    hasPenaltyInput = objective.graph.input(named: "penalty_coef") != nil
    guard let lossIndex = termNames.firstIndex(of: "loss") else {
      throw .invalidConfiguration(reason: "internal error: the compiled objective has no loss (please report)")
    }
    if hasKLInput, let klIndex = termNames.firstIndex(of: "terms.kl") {
      objectiveOutputs[lossIndex] = (objectiveOutputs[lossIndex] + g.input("kl_coef", .scalar) * objectiveOutputs[klIndex]).named("loss")
    }
    let parameterIDs = Array(forward.graph.inputs.prefix(layout.count))
    do {
      let graph = try g.build(outputs: objectiveOutputs)
      executable = try Planner.plan(try graph.gradient(of: objectiveOutputs[lossIndex].id, withRespectTo: parameterIDs),
                                    sharing: workspace)
    } catch {
      throw .graph(error)
    }
  }

  /// Runs the update on `batch`; `inputs` binds the objective's inputs (mask, old_logp,
  /// ref_logp, reward, advantages, counts, …); `penaltyCoefficient` is required when
  /// `hasPenaltyInput`.
  public func run(_ parameters: TransformerParameters, _ batch: TokenRows, inputs: [String: Tensor],
           klCoefficient: Double?, penaltyCoefficient: Double? = nil) throws(RuntimeError) -> Result {
    var named = inputs
    if hasKLInput { named["kl_coef"] = Tensor(scalar: Float(klCoefficient ?? 0)) }
    if hasPenaltyInput {
      guard let penaltyCoefficient else {
        throw .invalidConfiguration(reason: "internal error: the update needs the structural rule's penalty coefficient (please report)")
      }
      named["penalty_coef"] = Tensor(scalar: Float(penaltyCoefficient))
    }
    for (name, tensor) in zip(parameterNames, parameters.tensors) { named[name] = tensor }
    for (name, tensor) in TransformerGraph.namedBatchInputs(batch) where name != "mask" { named[name] = tensor }
    let outputs: [Tensor]
    do { outputs = try executable.run(named) } catch { throw .graph(error) }
    var result = Result(loss: 0, terms: [:], gradients: Array(outputs[termNames.count...]))
    for (name, tensor) in zip(termNames, outputs) {
      if name == "loss" { result.loss = Double(tensor.scalar) }
      if name.hasPrefix("terms.") { result.terms[String(name.dropFirst(6))] = Double(tensor.scalar) }
    }
    return result
  }
}
