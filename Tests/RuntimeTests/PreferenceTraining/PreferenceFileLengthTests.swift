import Testing

@testable import Runtime

/// A preference file whose prompt and response do not fit the policy's context is refused
/// when the trainer is built, naming the file and the lengths, before any batch is laid out.
@Suite struct PreferenceFileLengthTests {
  @Test("a preference file longer than the context is an error naming the file and the lengths")
  func fileLongerThanContext() throws {
    // 22 characters + BOS = 23 prompt tokens; "46" + EOS = 3 response tokens; 26 > 24.
    let data = try PreferenceDataset.parse(#"{"prompt": "1111111111+2222222222=", "chosen": "46", "rejected": "4"}"#,
                                           path: "long.jsonl")
    var c = PreferenceTrainerConfiguration(source: .file(data))
    c.policy = PreferenceTrainingTests.policy
    c.minibatches = 1
    let loss = try PreferenceTrainingTests.loss("dpo")
    #expect(throws: RuntimeError.invalidConfiguration(reason: "long.jsonl: the longest prompt (23 tokens with BOS) plus the longest response (3 with EOS) exceed policy.transformer.context (24)")) {
      _ = try PreferenceTrainer(task: nil, loss: loss, configuration: c)
    }
  }
}
