import Blocks
import Foundation
import Recipe
import Testing
import TestSupport

@testable import porecipe

/// What `check` accepts is what `run` trains: every declared block, and every restricted or
/// alternative value of its parameters, in a one-iteration recipe of each run kind. A
/// variant that checks clean must train its iteration; one that does not is refused by
/// `check`, and where the block's declaration says the kind does not implement it, the
/// refusal is `not-implemented` at the block's line.
@Suite struct SupportMatrixTests {
  static let registry = BlockRegistry.standard

  /// A reward command that scores every completion 0.5 (the JSON-lines protocol).
  static let command = """
    while IFS= read -r line; do
      id=$(printf '%s\\n' "$line" | sed 's/.*"id": *\\([0-9][0-9]*\\).*/\\1/')
      printf '{"id": %s, "reward": 0.5}\\n' "$id"
    done
    """

  /// The files the variants read.
  static func matrix(in directory: TemporaryDirectory) throws -> SupportMatrix {
    let jsonl = try directory.write("prompts.jsonl", (1...8).map { "{\"prompt\": \"\($0)+1=\", \"answer\": \"\($0 + 1)\"}" }.joined(separator: "\n") + "\n")
    let pairs = try directory.write("pairs.jsonl", (1...4).map { "{\"prompt\": \"\($0)+1=\", \"chosen\": \"\($0 + 1)\", \"rejected\": \"\($0)\"}" }
      .joined(separator: "\n") + "\n")
    let command = try directory.write("score.sh", Self.command)
    return SupportMatrix(files: (jsonl, pairs, command))
  }

  /// Whether the variant's block belongs in a recipe of its run kind, so its declared
  /// support can be held to: a task or model of the kind, or a block of the sections every
  /// kind shares (preference recipes take no policy-gradient parts, the others no
  /// preference loss).
  static func isAtHome(_ block: BlockDecl, in kind: RunKind) -> Bool {
    switch block.kind {
    case .environmentTask: kind == .environment
    case .tokenTask: kind == .token
    case .preferenceTask: kind == .preference
    case .model: block.support.contains(kind)
    case .preference: kind == .preference
    case .optimizer, .schedule: true
    case .rewardTerm, .filter, .estimator, .modifier, .slot, .structural: kind != .preference
    }
  }

  @Test("check's verdict equals whether a one-iteration run starts, for every block and value", arguments: RunKind.allCases)
  func checkMatchesRun(kind: RunKind) throws {
    let directory = try TemporaryDirectory()
    let matrix = try Self.matrix(in: directory)
    var trained = 0
    for (i, variant) in matrix.variants().filter({ $0.kind == kind }).enumerated() {
      let data = try JSONSerialization.data(withJSONObject: variant.recipe, options: [.sortedKeys])
      let file = try directory.write("v\(i).yaml", String(decoding: data, as: UTF8.self))
      let check = RecipeCheck.run(paths: [file])
      let isClean = check.exitCode == 0
      let notImplemented = check.diagnostics.filter { $0.code == .notImplemented }

      // Declared support is real: at home and with its defaults, a block of the kind checks clean.
      if variant.setting == nil, Self.isAtHome(variant.block, in: kind) {
        #expect(isClean == variant.block.support.contains(kind),
                "\(variant): declared \(variant.block.support.summary), check says:\n\(check.output)")
      }
      // A value the declaration restricts away from the kind is refused as not implemented.
      if let setting = variant.setting, Self.isAtHome(variant.block, in: kind), variant.block.support.contains(kind),
         let restricted = Self.restriction(setting, block: variant.block), !restricted.contains(kind) {
        #expect(!notImplemented.isEmpty, "\(variant): declared \(restricted.summary), but check says:\n\(check.output)")
      }
      guard isClean else {
        // `run` checks first: the same findings stop it before any work.
        if case .loaded = RunRecipe.load(file) { Issue.record("\(variant): check fails but run loads it:\n\(check.output)") }
        continue
      }
      let out = directory.url.appendingPathComponent("run-\(i)")
      let report = RunSession.run(recipe: file, overrides: [], out: out.path, quiet: true, terminal: false, cache: nil)
      // NOTE: offline pairs are what a policy's samples give: a policy from scratch (no
      // warm start, to keep the matrix fast) answers nothing worth pairing, which only
      // sampling can tell. The run got past its setup when it says so.
      let isData = variant.block.name == "preference" && report.messages.contains("gave answers of different scores to pair")
      #expect(report.exitCode == 0 || isData, "\(variant): check passes, but run says: \(report.messages)\(report.output)")
      trained += 1
    }
    #expect(trained > 10, "only \(trained) variants of \(kind.noun) trained")
  }

  /// The support of the value a `path=value` setting gives, if the parameter restricts it.
  static func restriction(_ setting: String, block: BlockDecl) -> Support? {
    let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, let key = parts[0].split(separator: ".").last.map(String.init), let param = block.param(key) else { return nil }
    for restriction in param.valueSupport {
      switch restriction.match {
      case .set: return restriction.support
      case .equals(let v): if v.description == parts[1] { return restriction.support }
      case .otherThan(let v): if v.description != parts[1] { return restriction.support }
      }
    }
    return nil
  }
}
