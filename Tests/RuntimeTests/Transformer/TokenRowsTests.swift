import Runtime
import Testing

/// What `TokenRows.set` does with a row that does not fit its batch: a prompt or response
/// longer than the layout is kept for the program to reject by name; a row index outside
/// the batch is a bug in the caller and stops the process.
@Suite struct TokenRowsTests {
  @Test("an overlong prompt and response are clipped to the layout but keep their lengths")
  func overlongRowKeepsLengths() {
    var batch = TokenRows(rows: 2, promptLength: 3, responseLength: 2)
    batch.set(row: 1, prompt: [1, 3, 4, 5], response: [6, 6, 2])
    // row 1 keeps the last 3 prompt tokens and the first 2 response tokens: 3 4 5 | 6 6
    #expect(batch.tokens == [0, 0, 0, 0, 0, 3, 4, 5, 6, 6])
    #expect(batch.promptLengths == [0, 4] && batch.responseLengths == [0, 3])
  }

  @Test("the program rejects an overlong response naming the row, its length and the layout's")
  func overlongResponseIsAnError() throws {
    let program = try TransformerProgram(TransformerProgramTests.tiny, rows: 3, promptLength: 4, responseLength: 3)
    let parameters = try TransformerReference.randomParameters(TransformerProgramTests.tiny, scale: 0.5, seed: 15)
    var batch = TransformerProgramTests.batch()
    batch.set(row: 2, prompt: [1], response: [3, 4, 5, 6])
    #expect(throws: RuntimeError.invalidTokens(reason: "row 2: response of 4 tokens; it must have 0...3")) {
      try program.evaluate(parameters, batch)
    }
  }

  @Test("writing a row outside the batch stops the process", arguments: [-1, 2])
  func rowOutsideTheBatch(row: Int) async {
    await #expect(processExitsWith: .failure) { [row] in
      var batch = TokenRows(rows: 2, promptLength: 3, responseLength: 2)
      batch.set(row: row, prompt: [1], response: [])
    }
  }
}
