/// A batch of prompt–response pairs laid out for `TransformerProgram`.
///
/// Row i holds its prompt LEFT-padded to `promptLength` (PAD = 0 before it), then its
/// response RIGHT-padded to `responseLength`:
///
///     promptLength = 4, responseLength = 3
///     row 0:  PAD PAD  p0  p1 | r0  r1 EOS
///     row 1:   p0  p1  p2  p3 | r0 PAD PAD
///
/// The program gives each row's first real prompt token position 0 and masks the left
/// padding out of attention, so a row's log-probs do not depend on how much padding it got
/// (the layout `TokenSampler` uses for prompts of different lengths).
public struct TokenRows: Sendable {
  public var rows: Int, promptLength: Int, responseLength: Int
  /// `rows × (promptLength + responseLength)` token ids, row-major.
  public var tokens: [Int32]
  /// Real prompt tokens per row (≥ 1).
  public var promptLengths: [Int]
  /// Real response tokens per row (`0...responseLength`), EOS included when it was sampled.
  public var responseLengths: [Int]

  /// All PAD, every prompt and response empty (fill the rows with `set`).
  public init(rows: Int, promptLength: Int, responseLength: Int) {
    self.rows = Swift.max(rows, 0)
    self.promptLength = Swift.max(promptLength, 0)
    self.responseLength = Swift.max(responseLength, 0)
    tokens = [Int32](repeating: 0, count: self.rows * (self.promptLength + self.responseLength))
    promptLengths = [Int](repeating: 0, count: self.rows)
    responseLengths = [Int](repeating: 0, count: self.rows)
  }

  /// Tokens per row.
  public var width: Int { promptLength + responseLength }

  /// Writes row `row`: the prompt left-padded, the response right-padded.
  ///
  /// `row` must be in `0..<rows`: every caller fills rows it counted itself, so another row
  /// is a bug here, not an input error, and stops the program. Lengths past the layout come
  /// from data (a task's prompt, a file's response): they are clipped here and kept in
  /// `promptLengths`/`responseLengths`, and the program rejects the batch with a
  /// `RuntimeError` naming the row and both lengths.
  public mutating func set(row: Int, prompt: [Int32], response: [Int32]) {
    precondition((0..<rows).contains(row), "TokenRows.set: row \(row) is outside the batch's \(rows) rows")
    let base = row * width
    for t in 0..<width { tokens[base + t] = 0 }
    let shownPrompt = prompt.suffix(promptLength)
    for (k, token) in shownPrompt.enumerated() { tokens[base + promptLength - shownPrompt.count + k] = token }
    for (k, token) in response.prefix(responseLength).enumerated() { tokens[base + promptLength + k] = token }
    promptLengths[row] = prompt.count
    responseLengths[row] = response.count
  }

  /// Row `row`'s prompt and response without padding.
  public func row(_ row: Int) -> (prompt: [Int32], response: [Int32]) {
    let base = row * width
    let prompt = Array(tokens[(base + promptLength - Swift.min(promptLengths[row], promptLength))..<(base + promptLength)])
    let response = Array(tokens[(base + promptLength)..<(base + promptLength + Swift.min(responseLengths[row], responseLength))])
    return (prompt, response)
  }

  /// Checks the lengths and token ids against a program's shape and vocabulary.
  func validate(rows expectedRows: Int, promptLength expectedPrompt: Int, responseLength expectedResponse: Int,
                vocabulary: Int) throws(RuntimeError) {
    guard rows == expectedRows, promptLength == expectedPrompt, responseLength == expectedResponse else {
      throw .invalidTokens(reason: "the program was compiled for \(expectedRows) rows × (\(expectedPrompt) prompt + \(expectedResponse) response) tokens, got \(rows) × (\(promptLength) + \(responseLength))")
    }
    guard tokens.count == rows * width, promptLengths.count == rows, responseLengths.count == rows else {
      throw .invalidTokens(reason: "token rows hold \(tokens.count) tokens and \(promptLengths.count)/\(responseLengths.count) lengths for \(rows) rows of \(width)")
    }
    for row in 0..<rows {
      guard (1...promptLength).contains(promptLengths[row]) else {
        throw .invalidTokens(reason: "row \(row): prompt of \(promptLengths[row]) tokens; it must have 1...\(promptLength)")
      }
      guard (0...responseLength).contains(responseLengths[row]) else {
        throw .invalidTokens(reason: "row \(row): response of \(responseLengths[row]) tokens; it must have 0...\(responseLength)")
      }
    }
    for (index, token) in tokens.enumerated() where token < 0 || Int(token) >= vocabulary {
      throw .invalidTokens(reason: "row \(index / width), token \(index % width): id \(token) is outside the vocabulary 0..<\(vocabulary)")
    }
  }
}
