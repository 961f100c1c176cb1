import Foundation

/// One preference pair of a data file, with the line it came from.
public struct PreferencePair: Sendable, Equatable, Codable {
  public var prompt: String
  public var chosen: String
  public var rejected: String
  public var line: Int

  public init(prompt: String, chosen: String, rejected: String, line: Int) {
    self.prompt = prompt
    self.chosen = chosen
    self.rejected = rejected
    self.line = line
  }
}

/// One labelled response of a data file (KTO's unpaired format), with its line.
public struct LabelledCompletion: Sendable, Equatable, Codable {
  public var prompt: String
  public var completion: String
  /// `label: true` (or 1): a desirable response; `false` (or 0): an undesirable one.
  public var isDesirable: Bool
  public var line: Int

  public init(prompt: String, completion: String, isDesirable: Bool, line: Int) {
    self.prompt = prompt
    self.completion = completion
    self.isDesirable = isDesirable
    self.line = line
  }
}

/// The data of `task: {preference_jsonl: {path}}`: a JSON-lines file of `{prompt, chosen,
/// rejected}` pairs, or of `{prompt, completion, label}` responses for KTO (TRL's standard
/// preference and unpaired-preference formats, as plain strings). The first record decides
/// the format; every line must then follow it.
///
/// Read whole before training starts: a broken line is a `PreferenceDataError` naming
/// FILE:LINE; an empty response is an error; blank lines are skipped and keys other than
/// the format's are ignored. A pair whose chosen and rejected responses are equal carries no
/// preference: it is left out and counted (`identicalPairLines`), never trained on.
public struct PreferenceDataset: Sendable, Equatable, Codable {
  public enum Records: Sendable, Equatable, Codable {
    case pairs([PreferencePair])
    case labelled([LabelledCompletion])
  }

  public var path: String
  public var records: Records
  /// Lines of the pairs left out because chosen equals rejected.
  public var identicalPairLines: [Int] = []

  /// Records usable for training.
  public var count: Int {
    switch records {
    case .pairs(let pairs): pairs.count
    case .labelled(let items): items.count
    }
  }

  /// What a run should print before training: the pairs left out, if any.
  public var warnings: [String] {
    guard let first = identicalPairLines.first else { return [] }
    let n = identicalPairLines.count
    return ["\(path):\(first): warning: \(n) pair\(n == 1 ? "" : "s") with chosen equal to rejected left out (first on this line); they carry no preference"]
  }

  /// Reads and validates the file at `path`.
  public static func read(path: String) throws(PreferenceDataError) -> PreferenceDataset {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw PreferenceDataError(path: path, line: 0, FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "cannot read the file: no such file")
    }
    guard let text = String(data: data, encoding: .utf8) else { throw PreferenceDataError(path: path, line: 0, "the file is not UTF-8 text") }
    return try parse(text, path: path)
  }

  /// Parses JSON-lines `text`; `path` names the file in errors.
  public static func parse(_ text: String, path: String) throws(PreferenceDataError) -> PreferenceDataset {
    var pairs: [PreferencePair] = [], labelled: [LabelledCompletion] = [], identical: [Int] = []
    var isPairs: Bool?
    for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 1
      let source = raw.hasSuffix("\r") ? raw.dropLast() : raw
      if source.allSatisfy(\.isWhitespace) { continue }
      func fail(_ message: String) -> PreferenceDataError { PreferenceDataError(path: path, line: line, message) }
      guard let object = try? JSONSerialization.jsonObject(with: Data(source.utf8)), let record = object as? [String: Any] else {
        throw fail("not a JSON object; each line holds one record {\"prompt\", \"chosen\", \"rejected\"} or {\"prompt\", \"completion\", \"label\"}")
      }
      let looksPaired = record["chosen"] != nil || record["rejected"] != nil
      if isPairs == nil {
        guard looksPaired || record["completion"] != nil || record["label"] != nil else {
          throw fail("a record needs 'chosen' and 'rejected' (pairs) or 'completion' and 'label' (KTO); found \(keyList(record))")
        }
        isPairs = looksPaired
      }
      func string(_ key: String, emptyAllowed: Bool = false) throws(PreferenceDataError) -> String {
        guard let value = record[key] else {
          throw fail("missing key '\(key)'" + (isPairs == true ? " (this file holds pairs, decided by its first record)" : " (this file holds labelled responses, decided by its first record)"))
        }
        guard let text = value as? String else { throw fail("'\(key)' must be a string") }
        if !emptyAllowed && text.isEmpty { throw fail("'\(key)' is an empty response") }
        return text
      }
      let prompt = try string("prompt", emptyAllowed: true)
      if isPairs == true {
        let chosen = try string("chosen"), rejected = try string("rejected")
        if chosen == rejected { identical.append(line); continue }
        pairs.append(PreferencePair(prompt: prompt, chosen: chosen, rejected: rejected, line: line))
      } else {
        let completion = try string("completion")
        guard let label = record["label"] else { throw fail("missing key 'label' (true for a desirable response, false for an undesirable one)") }
        guard let desirable = truth(label) else { throw fail("'label' must be true or false (or 1 or 0)") }
        labelled.append(LabelledCompletion(prompt: prompt, completion: completion, isDesirable: desirable, line: line))
      }
    }
    guard let isPairs else { throw PreferenceDataError(path: path, line: 0, "the file holds no records") }
    if isPairs && pairs.isEmpty {
      throw PreferenceDataError(path: path, line: 0, "every pair has chosen equal to rejected; nothing to train on")
    }
    return PreferenceDataset(path: path, records: isPairs ? .pairs(pairs) : .labelled(labelled), identicalPairLines: identical)
  }

  private static func keyList(_ record: [String: Any]) -> String {
    record.isEmpty ? "no keys" : record.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")
  }

  /// `true`/`false`, or the numbers 1/0.
  private static func truth(_ value: Any) -> Bool? {
    if String(describing: type(of: value)).contains("Boolean"), let flag = value as? Bool { return flag }
    guard let number = value as? NSNumber else { return nil }
    switch number.doubleValue {
    case 1: return true
    case 0: return false
    default: return nil
    }
  }
}
