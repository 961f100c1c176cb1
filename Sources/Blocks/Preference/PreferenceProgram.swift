import Core
import Diagnostics
import Graph

/// A compiled preference loss over P pairs: outputs `loss`, `terms.<name>`, then
/// `grad_chosen_logp` and `grad_rejected_logp` (d loss / d the sequence log-probs).
public struct PreferenceProgram: Sendable {
  public var graph: Graph
  public var outputNames: [String]

  public static func compile(_ loss: PairwisePreferenceLoss, pairs: Int, span: SourceSpan?,
                             differentiates: Bool = true) throws(CompileError) -> PreferenceProgram {
    let builder = GraphBuilder()
    builder.origin = span
    var inputs: [String: Value] = [:]
    for name in PairwisePreferenceLoss.inputNames { inputs[name] = builder.input(name, [pairs]) }
    if loss.needsChosenNLL { inputs["chosen_nll"] = builder.input("chosen_nll", .scalar) }
    let (value, terms) = loss.emit(inputs, builder: builder)
    let outputs = [("loss", value.named("loss"))] + terms.map { ("terms.\($0.0)", $0.1) }
    do {
      let forward = try builder.build(outputs: outputs.map(\.1))
      if !differentiates { return PreferenceProgram(graph: forward, outputNames: outputs.map(\.0)) }
      let differentiated = ["chosen_logp", "rejected_logp"].compactMap { inputs[$0]?.id }
      let graph = try forward.gradient(of: value.id, withRespectTo: differentiated)
      return PreferenceProgram(graph: graph, outputNames: outputs.map(\.0) + ["grad_chosen_logp", "grad_rejected_logp"])
    } catch {
      throw CompileError("internal error: the preference loss does not build: \(error) (please report)", at: span)
    }
  }
}
