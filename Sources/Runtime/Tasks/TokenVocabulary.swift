/// The character vocabulary of the token policy: 64 ids, one per character.
///
///     0 PAD, 1 BOS, 2 EOS
///     3 space, 4–13 digits 0–9, 14–39 lowercase a–z
///     40–56  + - * / = ( ) , . : ; ? < > [ ] !
///     57–63  _ ' " # % & and the newline
///
/// Token tasks write their prompts and answers in these characters only, so a policy's
/// output layer has exactly `size` logits. Uppercase letters are not in the vocabulary: a
/// user's own prompts must be lowercase (`encode` names the first character it cannot map).
public enum TokenVocabulary {
  /// Number of ids, special ones included.
  public static let size = 64
  /// Padding; never sampled, skipped by `decode`.
  public static let pad: Int32 = 0
  /// Begins every sequence (the trainer prepends it to the prompt).
  public static let bos: Int32 = 1
  /// Ends a response; `decode` stops at it.
  public static let eos: Int32 = 2

  /// The characters of ids 3, 4, … in order.
  public static let characters: [Character] = {
    var characters: [Character] = [" "]
    characters += "0123456789"
    characters += "abcdefghijklmnopqrstuvwxyz"
    characters += "+-*/=(),.:;?<>[]!"
    characters += "_'\"#%&\n"
    return characters
  }()

  private static let firstCharacterID: Int32 = 3
  private static let ids: [Character: Int32] = Dictionary(
    uniqueKeysWithValues: characters.enumerated().map { ($0.element, firstCharacterID + Int32($0.offset)) })

  /// Whether `character` has an id.
  public static func contains(_ character: Character) -> Bool { ids[character] != nil }

  /// The ids of `text`'s characters, without BOS or EOS.
  /// - Throws: `RuntimeError.invalidTask` naming the first character that has no id.
  public static func encode(_ text: String) throws(RuntimeError) -> [Int32] {
    var result: [Int32] = []
    result.reserveCapacity(text.count)
    for character in text {
      guard let id = ids[character] else {
        throw .invalidTask(reason: "\(describe(character)) in \(quoted(text)) is not in the token vocabulary "
          + "(it has lowercase letters, digits, space, newline and \(String(characters.dropFirst(37).dropLast())))")
      }
      result.append(id)
    }
    return result
  }

  /// The text of `ids`: stops at the first EOS, skips PAD and BOS and any id outside `0..<size`.
  public static func decode(_ ids: some Sequence<Int32>) -> String {
    var text = ""
    for id in ids {
      if id == eos { break }
      let index = Int(id) - Int(firstCharacterID)
      if index >= 0, index < characters.count { text.append(characters[index]) }
    }
    return text
  }

  /// `"X" (U+0058)`: the character, escaped, and its code points, so invisible ones are visible.
  static func describe(_ character: Character) -> String {
    let points = character.unicodeScalars.map { scalar in
      let hex = String(scalar.value, radix: 16, uppercase: true)
      return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
    return String(character).debugDescription + " (" + points.joined(separator: " ") + ")"
  }

  /// The text in double quotes, escaped, cut to 60 characters.
  static func quoted(_ text: String) -> String {
    let cut = text.count > 60 ? String(text.prefix(57)) + "..." : text
    return cut.debugDescription
  }
}
