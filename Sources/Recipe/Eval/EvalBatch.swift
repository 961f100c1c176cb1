import Blocks
import Diagnostics
import Foundation

/// A bad batch file: the message names the key (and the row or position) at fault.
public struct BatchError: Error, Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// A policy-gradient batch for `porecipe eval`, read from JSON (DESIGN.md, "Evaluating a
/// recipe on a given batch"): `group` [N] ids, `mask` [N][T] 0|1, and the inputs of
/// `PolicyBatch.Input` as [N] or [N][T] numbers, or [N][T][V] log-probabilities over a
/// vocabulary of V (`logp_full`, `old_logp_full`, `ref_logp_full`: at each real position
/// Σ_v exp must be 1 within 1e-3).
///
/// `null` is accepted where the mask is 0 (a masked value is garbage either way) and read
/// as NaN, which never reaches an output; keys starting with `_` are comments.
public struct EvalBatch: Sendable {
  /// One id per sequence (numbers or strings), as text.
  public var groups: [String]
  public var tokens: Int
  /// The vocabulary size V of the whole-distribution inputs; 0 without them.
  public var vocabulary = 0
  /// `[N·T]`, row-major.
  public var mask: [Double]
  /// Bound inputs, flat row-major.
  public var inputs: [PolicyBatch.Input: [Double]]

  public var rows: Int { groups.count }

  /// Parses and validates a batch; every error names its key.
  public static func parse(_ data: Data) throws(BatchError) -> EvalBatch {
    guard let object = try? JSONSerialization.jsonObject(with: data) else { throw BatchError("the batch is not valid JSON") }
    guard let root = object as? [String: Any] else { throw BatchError("the batch is not a JSON object") }
    let known = ["group", "mask"] + PolicyBatch.Input.allCases.map(\.rawValue)
    for key in root.keys.sorted() where !key.hasPrefix("_") && !known.contains(key) {
      let near = Suggestions.closest(to: key, among: known)
      throw BatchError("unknown key '\(key)'" + (near.map { "; did you mean '\($0)'?" } ?? "; the keys are \(Suggestions.list(known))"))
    }
    guard let groupItems = root["group"] as? [Any], !groupItems.isEmpty else { throw BatchError("'group' must be a non-empty list of ids, one per sequence") }
    var groups: [String] = []
    for (i, item) in groupItems.enumerated() {
      if let number = item as? NSNumber, !isBoolean(item) { groups.append(number.stringValue) } else if let text = item as? String { groups.append(text) } else {
        throw BatchError("'group'[\(i)] must be a number or a string id")
      }
    }
    let n = groups.count
    guard let maskRows = root["mask"] as? [Any], maskRows.count == n else { throw BatchError("'mask' must be \(n) rows (one per id in 'group')") }
    guard let firstRow = maskRows.first as? [Any], !firstRow.isEmpty else { throw BatchError("'mask'[0] must be a non-empty list of 0|1") }
    let t = firstRow.count
    let mask = try matrix(root["mask"], key: "mask", rows: n, tokens: t, mask: nil)
    for (i, value) in mask.enumerated() where value != 0 && value != 1 {
      throw BatchError("'mask'[\(i / t)][\(i % t)] is \(value); the mask holds 0 or 1")
    }
    var batch = EvalBatch(groups: groups, tokens: t, mask: mask, inputs: [:])
    for input in PolicyBatch.Input.allCases {
      guard let value = root[input.rawValue] else {
        if PolicyBatch.Input.required.contains(input) { throw BatchError("missing key '\(input.rawValue)'") }
        continue
      }
      if input.isOverVocabulary {
        let (values, width) = try distributions(value, key: input.rawValue, rows: n, tokens: t, mask: mask,
                                                vocabulary: batch.vocabulary == 0 ? nil : batch.vocabulary)
        batch.vocabulary = width
        batch.inputs[input] = values
        continue
      }
      batch.inputs[input] = input.isPerSequence
        ? try vector(value, key: input.rawValue, rows: n)
        : try matrix(value, key: input.rawValue, rows: n, tokens: t, mask: mask)
    }
    return batch
  }

  /// `[N][T][V]` log-probabilities, flat, and V (which must equal `vocabulary` when given);
  /// masked positions may be `null` or rows of `null`.
  static func distributions(_ value: Any, key: String, rows n: Int, tokens t: Int, mask: [Double],
                            vocabulary: Int?) throws(BatchError) -> ([Double], Int) {
    guard let rows = value as? [Any], rows.count == n else { throw BatchError("'\(key)' must be \(n) rows of \(t) distributions") }
    let first = rows.lazy.compactMap { $0 as? [Any] }.joined().first { ($0 as? [Any])?.isEmpty == false } as? [Any]
    guard let width = vocabulary ?? first?.count else {
      guard let real = mask.firstIndex(of: 1) else { throw BatchError("'\(key)' has no distribution to read the vocabulary size from") }
      throw BatchError("'\(key)'[\(real / t)][\(real % t)] must be a list of log-probabilities, one per vocabulary entry")
    }
    var result: [Double] = []
    for (i, row) in rows.enumerated() {
      guard let positions = row as? [Any], positions.count == t else {
        throw BatchError("'\(key)'[\(i)] must be a list of \(t) distributions (the width of 'mask')")
      }
      for (j, position) in positions.enumerated() {
        let isMasked = mask[i * t + j] == 0
        if isMasked, position is NSNull {
          result += Array(repeating: .nan, count: width)
          continue
        }
        guard let items = position as? [Any], items.count == width else {
          throw BatchError("'\(key)'[\(i)][\(j)] must be a list of \(width) log-probabilities, one per vocabulary entry"
                           + (vocabulary == nil ? " (the first distribution's size)" : " (the vocabulary of the batch's other distributions)"))
        }
        var sum = 0.0
        for (v, item) in items.enumerated() {
          let x = try number(item, at: "'\(key)'[\(i)][\(j)][\(v)]", garbageAllowed: isMasked)
          result.append(x)
          sum += Foundation.exp(x)
        }
        if !isMasked, Swift.abs(sum - 1) > 1e-3 {
          throw BatchError("'\(key)'[\(i)][\(j)] is not a distribution: Σ exp = \(sum); give log-probabilities (a log-softmax)")
        }
      }
    }
    return (result, width)
  }

  static func number(_ item: Any, at place: String, garbageAllowed: Bool) throws(BatchError) -> Double {
    if item is NSNull, garbageAllowed { return .nan }
    guard let number = item as? NSNumber, !isBoolean(item) else {
      throw BatchError("\(place) is not a number" + (item is NSNull ? " (null is allowed only where the mask is 0)" : ""))
    }
    return number.doubleValue
  }

  /// A number as a batch shows it: `0`, not `0.0`.
  static func text(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  /// Whether JSONSerialization read `true`/`false` (on Linux `0 is Bool` holds for numbers too).
  private static func isBoolean(_ item: Any) -> Bool {
    String(describing: type(of: item)).contains("Boolean")
  }

  static func vector(_ value: Any, key: String, rows n: Int) throws(BatchError) -> [Double] {
    guard let items = value as? [Any], items.count == n else { throw BatchError("'\(key)' must be a list of \(n) numbers (one per sequence)") }
    var result: [Double] = []
    for (i, item) in items.enumerated() { result.append(try number(item, at: "'\(key)'[\(i)]", garbageAllowed: false)) }
    return result
  }

  private static func matrix(_ value: Any?, key: String, rows n: Int, tokens t: Int, mask: [Double]?) throws(BatchError) -> [Double] {
    guard let rows = value as? [Any], rows.count == n else { throw BatchError("'\(key)' must be \(n) rows of \(t) numbers") }
    var result: [Double] = []
    for (i, row) in rows.enumerated() {
      guard let items = row as? [Any], items.count == t else {
        throw BatchError("'\(key)'[\(i)] must be a list of \(t) numbers (the width of 'mask')")
      }
      for (j, item) in items.enumerated() {
        result.append(try number(item, at: "'\(key)'[\(i)][\(j)]", garbageAllowed: mask.map { $0[i * t + j] == 0 } ?? false))
      }
    }
    return result
  }
}
