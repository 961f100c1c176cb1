import Diagnostics
import Testing

@Suite struct SuggestionsTests {
  // hihg→high is one transposition; lwo→low too; gae vs gamma is 3 edits (too far).
  @Test("edit distance counts transpositions as one edit", arguments: zip(
    [("hihg", "high"), ("lwo", "low"), ("gae", "gamma"), ("", "abc"), ("kitten", "sitting")], [1, 1, 3, 3, 3]))
  func distance(pair: (String, String), expected: Int) {
    #expect(Suggestions.editDistance(pair.0, pair.1) == expected)
  }

  @Test("one close candidate is suggested")
  func one() {
    #expect(Suggestions.closest(to: "hihg", among: ["low", "high", "dual", "delta"]) == "high")
  }

  @Test("no suggestion when two candidates are equally close")
  func tie() {
    #expect(Suggestions.closest(to: "k4", among: ["k1", "k2", "k3"]) == nil)
  }

  @Test("no suggestion when nothing is close")
  func far() {
    #expect(Suggestions.closest(to: "zzz_top", among: ["low", "high", "dual", "delta"]) == nil)
  }

  @Test("a word too short to misspell gets no suggestion")
  func short() {
    #expect(Suggestions.closest(to: "x", among: ["lr", "k1"]) == nil)
    #expect(Suggestions.closest(to: "", among: ["kl"]) == nil)
  }

  @Test("longer words allow a third of their length")
  func longer() {
    #expect(Suggestions.closest(to: "seq_mean_tokn_sm_nrm", among: ["seq_mean_token_sum_norm", "token_mean"]) == "seq_mean_token_sum_norm")
  }

  @Test("choices are listed sorted and quoted")
  func list() {
    #expect(Suggestions.list(["low", "high", "dual"]) == "'dual', 'high', 'low'")
  }
}
