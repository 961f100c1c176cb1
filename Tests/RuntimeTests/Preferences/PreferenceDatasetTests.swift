import Foundation
import Runtime
import Testing
import TestSupport

/// `preference_jsonl` data: both formats, and every broken line named by FILE:LINE.
@Suite struct PreferenceDatasetTests {
  @Test("reads {prompt, chosen, rejected} pairs, skipping blank lines and extra keys")
  func pairs() throws {
    let text = """
      {"prompt": "2+3=", "chosen": "5", "rejected": "6", "id": 7}

      {"prompt": "4+4=", "chosen": "8", "rejected": "9"}\r
      """
    let data = try PreferenceDataset.parse(text, path: "p.jsonl")
    #expect(data.records == .pairs([
      PreferencePair(prompt: "2+3=", chosen: "5", rejected: "6", line: 1),
      PreferencePair(prompt: "4+4=", chosen: "8", rejected: "9", line: 3),
    ]))
    #expect(data.warnings.isEmpty)
  }

  @Test("reads {prompt, completion, label} responses for KTO, labels as booleans or 0/1")
  func labelled() throws {
    let text = #"{"prompt": "a", "completion": "x", "label": true}"# + "\n" + #"{"prompt": "b", "completion": "y", "label": 0}"#
    let data = try PreferenceDataset.parse(text, path: "k.jsonl")
    #expect(data.records == .labelled([
      LabelledCompletion(prompt: "a", completion: "x", isDesirable: true, line: 1),
      LabelledCompletion(prompt: "b", completion: "y", isDesirable: false, line: 2),
    ]))
  }

  @Test("a pair with chosen equal to rejected is left out and counted")
  func identical() throws {
    let text = #"{"prompt": "a", "chosen": "x", "rejected": "y"}"# + "\n" + #"{"prompt": "b", "chosen": "z", "rejected": "z"}"#
    let data = try PreferenceDataset.parse(text, path: "p.jsonl")
    #expect(data.count == 1)
    #expect(data.identicalPairLines == [2])
    #expect(data.warnings == ["p.jsonl:2: warning: 1 pair with chosen equal to rejected left out (first on this line); they carry no preference"])
  }

  static let brokenTexts: [String] = [
    #"{"prompt": "a", "chosen": "x", "rejected": "y"}"# + "\n" + #"{"prompt": "b", "chosen": "x""#,
    #"{"prompt": "a", "chosen": "x", "rejected": "y"}"# + "\n\n" + #"{"prompt": "b", "chosen": "x"}"#,
    #"{"prompt": "a", "chosen": "", "rejected": "y"}"#,
    #"{"prompt": "a", "chosen": ["x"], "rejected": "y"}"#,
    #"{"prompt": "a", "completion": "x", "label": 2}"#,
    #"{"prompt": "a", "completion": "x", "label": true}"# + "\n" + #"{"prompt": "b", "chosen": "x", "rejected": "y"}"#,
    #"{"question": "a", "answer": "x"}"#,
    "[1, 2]",
    "\n\n",
    #"{"prompt": "a", "chosen": "x", "rejected": "x"}"#,
  ]
  static let brokenMessages: [String] = [
    "p.jsonl:2: error: not a JSON object; each line holds one record {\"prompt\", \"chosen\", \"rejected\"} or {\"prompt\", \"completion\", \"label\"}",
    "p.jsonl:3: error: missing key 'rejected' (this file holds pairs, decided by its first record)",
    "p.jsonl:1: error: 'chosen' is an empty response",
    "p.jsonl:1: error: 'chosen' must be a string",
    "p.jsonl:1: error: 'label' must be true or false (or 1 or 0)",
    "p.jsonl:2: error: missing key 'completion' (this file holds labelled responses, decided by its first record)",
    "p.jsonl:1: error: a record needs 'chosen' and 'rejected' (pairs) or 'completion' and 'label' (KTO); found 'answer', 'question'",
    "p.jsonl:1: error: not a JSON object; each line holds one record {\"prompt\", \"chosen\", \"rejected\"} or {\"prompt\", \"completion\", \"label\"}",
    "p.jsonl: error: the file holds no records",
    "p.jsonl: error: every pair has chosen equal to rejected; nothing to train on",
  ]

  @Test("a broken line is an error naming FILE:LINE", arguments: zip(brokenTexts, brokenMessages))
  func broken(text: String, message: String) {
    #expect(throws: PreferenceDataError.self) { try PreferenceDataset.parse(text, path: "p.jsonl") }
    do {
      _ = try PreferenceDataset.parse(text, path: "p.jsonl")
    } catch {
      #expect(error.description == message)
    }
  }

  @Test("a missing file is an error naming it")
  func missing() throws {
    let directory = try TemporaryDirectory()
    let path = directory.url.appendingPathComponent("none.jsonl").path
    #expect(throws: PreferenceDataError(path: path, line: 0, "cannot read the file: no such file")) { try PreferenceDataset.read(path: path) }
    let file = try directory.write("ok.jsonl", #"{"prompt": "a", "chosen": "x", "rejected": "y"}"# + "\n")
    #expect(try PreferenceDataset.read(path: file).count == 1)
  }
}
