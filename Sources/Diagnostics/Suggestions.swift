/// Did-you-mean: the one known name close to a misspelling (STYLE.md §5).
public enum Suggestions {
  /// The single candidate within edit distance ≤ 2 (or ⅓ of the word's length, whichever
  /// is larger, and less than the word's length) of `word`; `nil` when none or more than
  /// one is that close.
  public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
    // NOTE: an edit must keep part of the word: 'x' is not a misspelling of 'lr'.
    let limit = min(max(2, word.count / 3), word.count - 1)
    guard limit >= 1 else { return nil }
    var best: [(String, Int)] = []
    for candidate in Set(candidates) where candidate != word {
      let distance = editDistance(word.lowercased(), candidate.lowercased(), limit: limit)
      if distance <= limit { best.append((candidate, distance)) }
    }
    guard let minimum = best.map(\.1).min() else { return nil }
    let nearest = best.filter { $0.1 == minimum }
    return nearest.count == 1 ? nearest[0].0 : nil
  }

  /// `'a', 'b', 'c'`: the candidates sorted and quoted, for "expected one of" notes.
  public static func list(_ candidates: some Sequence<String>) -> String {
    Set(candidates).sorted().map { "'\($0)'" }.joined(separator: ", ")
  }

  /// Levenshtein distance with adjacent transpositions counted as one edit; stops early
  /// (returning `limit + 1`) once the distance must exceed `limit`.
  public static func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if abs(x.count - y.count) > limit { return limit == .max ? limit : limit + 1 }
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous2 = [Int](repeating: 0, count: y.count + 1)
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
      current[0] = i
      var rowMinimum = i
      for j in 1...y.count {
        let cost = x[i - 1] == y[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { value = min(value, previous2[j - 2] + 1) }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return limit + 1 }
      (previous2, previous, current) = (previous, current, previous2)
    }
    return previous[y.count]
  }
}
