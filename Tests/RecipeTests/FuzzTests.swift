import Diagnostics
import Foundation
import Recipe
import Testing

/// Mutates the shipped recipes thousands of times (seeded) and asserts the checker always
/// answers: success, or diagnostics that each have a location and render — never a crash,
/// a hang or an internal error.
@Suite struct FuzzTests {
  /// SplitMix64: small, seeded, reproducible.
  struct Generator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let tokens = [
    "yes", "no", "off", "\"1e-4\"", "1e-6", "-1", "0.2.1", "none", "null", "~", "[", "]", "{", "}", "&a", "*a", "<<: {}",
    "\t", ": ", "- ", "!!str", "---", "\"", "'", "#", "?", "|", ">", "1_000", ".inf", ".nan", "ünï", "expr: \"mean(",
    "expr: \"reward - mean(reward, over: token)\"", "{clip: {low: 2}}", "gae: {}", "dpo: {}", "extends: grpo", "extends: nowhere",
  ]

  static func mutate(_ bytes: [UInt8], _ rng: inout Generator) -> [UInt8] {
    var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
    let pick = { (n: Int, rng: inout Generator) in n > 0 ? Int.random(in: 0..<n, using: &rng) : 0 }
    switch Int.random(in: 0..<8, using: &rng) {
    case 0 where !lines.isEmpty: lines.remove(at: pick(lines.count, &rng))
    case 1 where !lines.isEmpty: let i = pick(lines.count, &rng); lines.insert(lines[i], at: i)
    case 2 where lines.count > 1: lines.swapAt(pick(lines.count, &rng), pick(lines.count, &rng))
    case 3 where !lines.isEmpty:
      let i = pick(lines.count, &rng)
      let cut = pick(lines[i].count + 1, &rng)
      lines[i] = Array(lines[i][..<cut]) + Array(tokens[pick(tokens.count, &rng)].utf8) + Array(lines[i][cut...])
    case 4:
      let flat = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
      return Array(flat[..<pick(flat.count + 1, &rng)])
    case 5:
      var flat = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        flat.insert(UInt8.random(in: 0...255, using: &rng), at: pick(flat.count + 1, &rng))
      }
      return flat
    case 6 where !lines.isEmpty:
      let i = pick(lines.count, &rng)
      lines[i] = Array(repeating: UInt8(ascii: " "), count: pick(5, &rng)) + lines[i].drop { $0 == UInt8(ascii: " ") }
    default:
      lines.append(Array(tokens[pick(tokens.count, &rng)].utf8))
    }
    return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
  }

  @Test("3,000 seeded mutations of the shipped recipes always get an answer")
  func mutations() {
    var rng = Generator(state: 20_260_125)
    let seeds = BuiltinRecipes.files.keys.sorted().compactMap { BuiltinRecipes.files[$0] }.map { Array($0.utf8) }
    var loader = RecipeLoader()
    var findings = 0
    for i in 0..<3000 {
      var bytes = seeds[i % seeds.count]
      for _ in 0..<Int.random(in: 1...3, using: &rng) { bytes = Self.mutate(bytes, &rng) }
      let name = "fuzz/\(i).yaml"
      let result = RecipeChecker().check(loader.load(bytes: bytes, name: name))
      findings += result.diagnostics.isEmpty ? 0 : 1
      for diagnostic in result.diagnostics {
        #expect(diagnostic.span != nil, "no location for \(diagnostic.message)")
        #expect(diagnostic.severity != .bug, "\(diagnostic.message)")
      }
      #expect(!DiagnosticRenderer(sources: result.sources).render(result.diagnostics).contains("internal error"))
    }
    #expect(findings > 1000)
  }

  static func hostileInputs() -> [(String, [UInt8])] {
    let deepMapping: String = String(repeating: "{a: ", count: 200) + String(repeating: "}", count: 200)
    let deepExpression: String = "advantage: {expr: \"" + String(repeating: "(", count: 500) + "reward" + String(repeating: ")", count: 500) + "\"}"
    let negations: String = "objective: {expr: \"" + String(repeating: "-", count: 5000) + "ratio\"}"
    var manyKeys = ""
    for i in 0..<5000 { manyKeys += "k\(i): \(i)\n" }
    return [
      ("empty", []), ("nul", Array("a: 1\n\u{0}".utf8)), ("latin1", [0x61, 0x3A, 0x20, 0xE9, 0x0A]),
      ("deep mapping", Array(deepMapping.utf8)), ("deep expression", Array(deepExpression.utf8)),
      ("long negation", Array(negations.utf8)), ("huge", Array(repeating: UInt8(ascii: "a"), count: 5 << 20)),
      ("many keys", Array(manyKeys.utf8)),
    ]
  }

  @Test("hostile inputs get a located diagnostic", arguments: hostileInputs())
  func hostile(name: String, bytes: [UInt8]) {
    var loader = RecipeLoader()
    let result = RecipeChecker().check(loader.load(bytes: bytes, name: "\(name).yaml"))
    #expect(!result.diagnostics.isEmpty)
    #expect(result.diagnostics.allSatisfy { $0.span != nil })
  }
}
