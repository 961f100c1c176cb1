import Blocks
import Diagnostics
import Foundation

/// A batch of P preference pairs for `porecipe eval` of a preference loss (DESIGN.md):
/// `chosen_logp`, `rejected_logp`, `ref_chosen_logp`, `ref_rejected_logp`, `chosen_len`,
/// `rejected_len`, each [P] (sequence log-probs are sums over the response's tokens);
/// ORPO adds `chosen_nll`, a number.
public struct PairBatch: Sendable {
  public var pairs: Int
  /// Inputs by name; `chosen_nll` has one value.
  public var inputs: [String: [Double]]

  public static func parse(_ data: Data, needsChosenNLL: Bool) throws(BatchError) -> PairBatch {
    guard let object = try? JSONSerialization.jsonObject(with: data) else { throw BatchError("the batch is not valid JSON") }
    guard let root = object as? [String: Any] else { throw BatchError("the batch is not a JSON object") }
    let known = PairwisePreferenceLoss.inputNames + ["chosen_nll"]
    for key in root.keys.sorted() where !key.hasPrefix("_") && !known.contains(key) {
      let near = Suggestions.closest(to: key, among: known)
      throw BatchError("unknown key '\(key)'" + (near.map { "; did you mean '\($0)'? (a preference loss takes pairs)" } ?? "; a preference loss takes pairs: \(Suggestions.list(known))"))
    }
    guard let first = root["chosen_logp"] as? [Any], !first.isEmpty else { throw BatchError("'chosen_logp' must be a non-empty list of numbers, one per pair") }
    var batch = PairBatch(pairs: first.count, inputs: [:])
    for name in PairwisePreferenceLoss.inputNames {
      guard let value = root[name] else { throw BatchError("missing key '\(name)'") }
      batch.inputs[name] = try EvalBatch.vector(value, key: name, rows: first.count)
    }
    if needsChosenNLL {
      guard let value = root["chosen_nll"] else { throw BatchError("missing key 'chosen_nll' (orpo adds the chosen responses' NLL, a number)") }
      batch.inputs["chosen_nll"] = [try EvalBatch.number(value, at: "'chosen_nll'", garbageAllowed: false)]
    }
    return batch
  }
}
