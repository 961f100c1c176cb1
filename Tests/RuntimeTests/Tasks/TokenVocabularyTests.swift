import Runtime
import Testing

@Suite struct TokenVocabularyTests {
  @Test("64 ids: PAD, BOS, EOS, then 61 distinct characters")
  func layout() {
    #expect(TokenVocabulary.size == 64)
    #expect(TokenVocabulary.characters.count == 61)
    #expect(Set(TokenVocabulary.characters).count == 61)
    #expect([TokenVocabulary.pad, TokenVocabulary.bos, TokenVocabulary.eos] == [0, 1, 2])
  }

  @Test("every character encodes to one id in 3..<64 and decodes back")
  func roundTrip() throws {
    let text = String(TokenVocabulary.characters)
    let ids = try TokenVocabulary.encode(text)
    #expect(ids == (3..<64).map(Int32.init))
    #expect(TokenVocabulary.decode(ids) == text)
    #expect(try TokenVocabulary.encode("37+45=") == [7, 11, 40, 8, 9, 44])
    #expect(TokenVocabulary.decode(try TokenVocabulary.encode("sort:dbca=")) == "sort:dbca=")
  }

  @Test("decode skips PAD and BOS, stops at EOS, and drops ids outside the vocabulary")
  func decodeSpecials() {
    #expect(TokenVocabulary.decode([1, 8, 0, 11, 2, 9]) == "47")
    #expect(TokenVocabulary.decode([8, 64, -1, 11]) == "47")
    #expect(TokenVocabulary.decode([Int32]()) == "")
  }

  @Test("an unknown character is an error naming it and its code point")
  func unknownCharacter() {
    #expect(throws: RuntimeError.self) { try TokenVocabulary.encode("What") }
    do {
      _ = try TokenVocabulary.encode("2+2=é")
      Issue.record("expected an error")
    } catch {
      #expect("\(error)".contains("\"é\" (U+00E9)"))
      #expect("\(error)".contains("\"2+2=é\""))
    }
  }
}
