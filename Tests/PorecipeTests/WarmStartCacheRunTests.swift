import Foundation
import Runtime
import Testing
import TestSupport

@testable import porecipe

/// `porecipe run` reuses the cached warm start of an earlier run of the same recipe.
@Suite struct WarmStartCacheRunTests {
  @Test("a second run of the same recipe loads the first run's warm start and stores nothing new")
  func secondRunHits() throws {
    let temporary = try TemporaryDirectory()
    let cache = WarmStartCache(directory: temporary.url.appendingPathComponent("warm_start"))
    func run(_ name: String) throws -> [String: Any] {
      let out = temporary.url.appendingPathComponent(name)
      let report = RunSession.run(recipe: TokenRunTests.recipes.appendingPathComponent("grpo.yaml").path,
                                  overrides: TokenRunTests.tiny + ["train.iterations=1"], out: out.path, quiet: true, terminal: false,
                                  cache: cache)
      #expect(report.exitCode == 0, "\(report.messages)")
      let summary = try Data(contentsOf: out.appendingPathComponent("summary.json"))
      return try #require(JSONSerialization.jsonObject(with: summary) as? [String: Any])
    }
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: cache.directory.path) }
    /// The inode of the cached weights: a store writes a new file, a load leaves it.
    func weightsFile() throws -> Int64 {
      let entry = try #require(try entries().first)
      let model = cache.directory.appendingPathComponent(entry).appendingPathComponent("model.safetensors")
      return try #require(try FileManager.default.attributesOfItem(atPath: model.path)[.systemFileNumber] as? NSNumber).int64Value
    }

    let first = try run("first")
    #expect(try entries().count == 1)
    let stored = try weightsFile()
    let second = try run("second")
    #expect(try entries().count == 1)
    #expect(try weightsFile() == stored)
    #expect(second["warm_start_steps"] as? Int == first["warm_start_steps"] as? Int)
    #expect(second["warm_start_eval_accuracy"] as? Double == first["warm_start_eval_accuracy"] as? Double)
  }
}
