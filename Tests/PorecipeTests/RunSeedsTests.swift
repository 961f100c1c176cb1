import Foundation
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run --seeds`: one normal run directory per seed, the report table as output.
@Suite struct RunSeedsTests {
  @Test("--seeds 1,2 writes DIR/seed-1 and DIR/seed-2 with train.seed set; seed 2 equals a plain run with train.seed=2")
  func seeds() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("ppo")
    let small = ["rollout.steps=32", "train.total_steps=256"]
    let report = RunSeeds.run(recipe: RunCommandTests.recipe, seeds: [1, 2], overrides: small, out: out.path, quiet: true, terminal: false)
    #expect(report.exitCode == 0, "\(report.messages)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["seed-1", "seed-2"])
    let resolved = try String(contentsOf: out.appendingPathComponent("seed-2/recipe.resolved.yaml"), encoding: .utf8)
    #expect(resolved.contains("  seed: 2 "))
    let lines = report.output.split(separator: "\n")
    #expect(lines.count == 2 && lines[1].hasPrefix("ppo     2     1,2    episode_return_mean  "), "\(report.output)")

    let plain = temporary.url.appendingPathComponent("plain")
    _ = RunSession.run(recipe: RunCommandTests.recipe, overrides: small + ["train.seed=2"], out: plain.path, quiet: true, terminal: false)
    func stripped(_ url: URL) throws -> [NSDictionary] {
      try RunCommandTests().lines(url.appendingPathComponent("metrics.jsonl"))
        .map { NSDictionary(dictionary: $0.filter { !["wall_s", "sps"].contains($0.key) }) }
    }
    let seeded = try stripped(out.appendingPathComponent("seed-2"))
    #expect(seeded.count == 2)
    #expect(seeded == (try stripped(plain)))
  }

  @Test("--seeds takes distinct non-negative integers, and not with --resume or --set train.seed",
        arguments: zip(["1,x", "1,,2", "-1", "3,3"], ["got '1,x'", "got '1,,2'", "got '-1'", "lists a seed twice"]))
  func parse(text: String, message: String) {
    #expect(throws: (any Error).self) { try RunSeeds.parse(text) }
    do { _ = try RunSeeds.parse(text) } catch { #expect("\(error)".contains(message), "\(error)") }
  }

  @Test("argument shape: --seeds with --resume or --set train.seed is a usage error; a directory of other files is refused")
  func conflicts() throws {
    #expect(try RunSeeds.parse("1, 2,3") == [1, 2, 3])
    #expect(throws: (any Error).self) { try RunSeeds.validate("1,2", overrides: [], resume: "runs/x") }
    #expect(throws: (any Error).self) { try RunSeeds.validate("1,2", overrides: ["train.seed=4"], resume: nil) }
    let temporary = try TemporaryDirectory()
    _ = try temporary.write("notes.txt", "keep")
    let refused = RunSeeds.run(recipe: RunCommandTests.recipe, seeds: [1], overrides: [], out: temporary.url.path, quiet: true, terminal: false)
    #expect(refused.exitCode == 1)
    #expect(refused.messages == "error: --out \(temporary.url.path) holds 'notes.txt', not only seed-N run directories; choose another directory\n")
  }
}
