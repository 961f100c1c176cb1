import Blocks
import Diagnostics
import Foundation

/// A batch for `porecipe eval` of a preference loss (DESIGN.md), in its loss's format:
///
///     pairs:    chosen_logp, rejected_logp, ref_chosen_logp, ref_rejected_logp, chosen_len,
///               rejected_len [P]; orpo adds chosen_nll (a number); bco_pair may add bco_delta
///     unpaired: logp, ref_logp, len, label (0|1), kl_logp, kl_ref_logp [P]   (kto)
///     lists:    logp, ref_logp, score, len [P][K], K ≥ 2; pro adds nll [P]  (lipo, pro)
///
/// Sequence log-probs are sums over the response's tokens; a length is at least 1 (an empty
/// response is an error naming its row). Pairs whose chosen and rejected numbers are all
/// equal, and lists whose scores are all equal, carry no preference: they are counted in
/// `warnings`, not refused.
public struct PreferenceBatch: Sendable {
  public var format: PreferenceFormat
  /// P: pairs, examples or lists.
  public var rows: Int
  /// K, responses per list (1 unless `format` is `lists`).
  public var items: Int
  /// Inputs by name, flat row-major; a number has one value.
  public var inputs: [String: [Double]]
  /// Legal but suspicious rows, one line each.
  public var warnings: [String] = []

  private static let noun: [PreferenceFormat: String] = [.pairs: "pair", .unpaired: "example", .lists: "list"]

  public static func parse(_ data: Data, for loss: PreferenceLoss) throws(BatchError) -> PreferenceBatch {
    guard let object = try? JSONSerialization.jsonObject(with: data) else { throw BatchError("the batch is not valid JSON") }
    guard let root = object as? [String: Any] else { throw BatchError("the batch is not a JSON object") }
    let format = loss.format, noun = Self.noun[format] ?? "row"
    let known = format.inputNames + loss.requiredExtras + loss.optionalExtras
    for key in root.keys.sorted() where !key.hasPrefix("_") && !known.contains(key) {
      let near = Suggestions.closest(to: key, among: known)
      let what = "a \(format == .pairs ? "preference" : format == .unpaired ? "unpaired preference" : "listwise preference") loss takes \(format.rawValue)"
      throw BatchError("unknown key '\(key)'" + (near.map { "; did you mean '\($0)'? (\(what))" } ?? "; \(what): \(Suggestions.list(known))"))
    }
    let first = format.inputNames[0]
    guard let items = root[first] as? [Any], !items.isEmpty else {
      throw BatchError("'\(first)' must be a non-empty list, one entry per \(noun)")
    }
    var batch = PreferenceBatch(format: format, rows: items.count, items: 1, inputs: [:])
    if format == .lists {
      guard let list = items.first as? [Any] else { throw BatchError("'\(first)'[0] must be a list of the responses' numbers") }
      guard list.count >= 2 else { throw BatchError("'\(first)'[0] has \(list.count) response\(list.count == 1 ? "" : "s"); a list needs at least 2") }
      batch.items = list.count
    }
    for name in format.inputNames + loss.requiredExtras + loss.optionalExtras {
      guard let value = root[name] else {
        if loss.optionalExtras.contains(name) { continue }
        throw BatchError("missing key '\(name)'" + (name == "chosen_nll" ? " (orpo adds the chosen responses' NLL, a number)"
          : name == "nll" ? " (pro adds the NLL of each list's best response, [P])" : ""))
      }
      switch PreferenceLoss.shape(of: name, rows: batch.rows, items: batch.items, format: format).rank {
      case 0: batch.inputs[name] = [try EvalBatch.number(value, at: "'\(name)'", garbageAllowed: false)]
      case 1: batch.inputs[name] = try EvalBatch.vector(value, key: name, rows: batch.rows)
      default: batch.inputs[name] = try matrix(value, key: name, rows: batch.rows, items: batch.items)
      }
    }
    try batch.validate(noun: noun)
    return batch
  }

  private static func matrix(_ value: Any, key: String, rows: Int, items: Int) throws(BatchError) -> [Double] {
    guard let lists = value as? [Any], lists.count == rows else { throw BatchError("'\(key)' must be \(rows) lists of \(items) numbers (one list per prompt)") }
    var result: [Double] = []
    for (i, list) in lists.enumerated() {
      guard let numbers = list as? [Any], numbers.count == items else {
        throw BatchError("'\(key)'[\(i)] must be a list of \(items) numbers (the list size of '\(PreferenceFormat.lists.inputNames[0])')")
      }
      for (j, item) in numbers.enumerated() { result.append(try EvalBatch.number(item, at: "'\(key)'[\(i)][\(j)]", garbageAllowed: false)) }
    }
    return result
  }

  /// Lengths of at least 1, labels of 0 or 1; the no-preference rows as warnings.
  private mutating func validate(noun: String) throws(BatchError) {
    for name in ["chosen_len", "rejected_len", "len"] {
      guard let values = inputs[name] else { continue }
      for (i, value) in values.enumerated() where value < 1 {
        let place = items > 1 ? "\(i / items)][\(i % items)" : "\(i)"
        throw BatchError("'\(name)'[\(place)] is \(EvalBatch.text(value)): \(noun) \(i / items) has an empty response; a length counts its tokens, at least 1")
      }
    }
    if let labels = inputs["label"], let i = labels.firstIndex(where: { $0 != 0 && $0 != 1 }) {
      throw BatchError("'label'[\(i)] is \(EvalBatch.text(labels[i])); a label is 1 (desirable) or 0 (undesirable)")
    }
    switch format {
    case .pairs:
      let sides = [("chosen_logp", "rejected_logp"), ("ref_chosen_logp", "ref_rejected_logp"), ("chosen_len", "rejected_len")]
      let equal = (0..<rows).filter { i in sides.allSatisfy { inputs[$0.0]?[i] == inputs[$0.1]?[i] } }
      if !equal.isEmpty {
        warnings.append("\(equal.count) of \(rows) pairs have chosen equal to rejected (\(Self.indices(equal, "pair"))); they carry no preference")
      }
    case .lists:
      let score = inputs["score"] ?? []
      let flat = (0..<rows).filter { p in Set(score[(p * items)..<((p + 1) * items)]).count == 1 }
      if !flat.isEmpty {
        warnings.append("\(flat.count) of \(rows) lists have the same score for every response (\(Self.indices(flat, "list"))); they carry no preference")
      }
    case .unpaired:
      break
    }
  }

  private static func indices(_ rows: [Int], _ noun: String) -> String {
    let shown = rows.prefix(8).map(String.init).joined(separator: ", ")
    return "\(noun)\(rows.count == 1 ? "" : "s") \(shown)\(rows.count > 8 ? ", …" : "")"
  }
}
