import Core
import Diagnostics
import Graph

/// A compiled preference loss over P rows (pairs, examples or lists of K): outputs `loss`,
/// `terms.<name>`, then the gradients of the format (`grad_chosen_logp` and
/// `grad_rejected_logp` for pairs, `grad_logp` otherwise).
public struct PreferenceProgram: Sendable {
  public var graph: Graph
  public var outputNames: [String]

  /// - Parameters:
  ///   - items: K, the responses per list (lists only).
  ///   - present: optional inputs the batch gives (`bco_delta`).
  ///   - differentiatesExtras: also output the gradients of the loss's required extras
  ///     (`grad_chosen_nll` for orpo, `grad_nll` for pro), after the format's: a trainer
  ///     seeds them into the token log-probs the NLL is made of.
  public static func compile(_ loss: PreferenceLoss, rows: Int, items: Int = 2, present: Set<String> = [], span: SourceSpan?,
                             differentiates: Bool = true, differentiatesExtras: Bool = false) throws(CompileError) -> PreferenceProgram {
    let builder = GraphBuilder()
    builder.origin = span
    var inputs: [String: Value] = [:]
    let format = loss.format
    for name in format.inputNames + loss.requiredExtras + loss.optionalExtras.filter(present.contains) {
      inputs[name] = builder.input(name, PreferenceLoss.shape(of: name, rows: rows, items: items, format: format))
    }
    let (value, terms) = loss.emit(inputs, builder: builder)
    let outputs = [("loss", value.named("loss"))] + terms.map { ("terms.\($0.0)", $0.1) }
    do {
      let forward = try builder.build(outputs: outputs.map(\.1))
      if !differentiates { return PreferenceProgram(graph: forward, outputNames: outputs.map(\.0)) }
      let gradients = format.gradients + (differentiatesExtras ? loss.requiredExtras.map { ($0, "grad_\($0)") } : [])
      let differentiated = gradients.compactMap { inputs[$0.input]?.id }
      let graph = try forward.gradient(of: value.id, withRespectTo: differentiated)
      return PreferenceProgram(graph: graph, outputNames: outputs.map(\.0) + gradients.map(\.output))
    } catch {
      throw CompileError("internal error: the preference loss does not build: \(error) (please report)", at: span)
    }
  }

  /// The pairwise form: P pairs.
  public static func compile(_ loss: PairwisePreferenceLoss, pairs: Int, span: SourceSpan?,
                             differentiates: Bool = true) throws(CompileError) -> PreferenceProgram {
    try compile(.pairwise(loss), rows: pairs, span: span, differentiates: differentiates)
  }
}
