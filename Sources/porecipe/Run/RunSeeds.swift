import ArgumentParser
import Foundation
import Recipe

/// `porecipe run RECIPE --seeds 1,2,3 --out DIR`: the recipe once per seed, each a normal
/// run directory `DIR/seed-N` trained with `train.seed=N`; the table of `porecipe report DIR`
/// is the output.
enum RunSeeds {
  /// The seeds of `--seeds 1,2,3`: distinct non-negative integers.
  static func parse(_ text: String) throws(ValidationError) -> [Int] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let seeds = parts.compactMap { Int($0) }
    guard !parts.isEmpty, seeds.count == parts.count, seeds.allSatisfy({ $0 >= 0 }) else {
      throw ValidationError("--seeds takes non-negative integers separated by commas, e.g. --seeds 1,2,3; got '\(text)'")
    }
    guard Set(seeds).count == seeds.count else { throw ValidationError("--seeds lists a seed twice: '\(text)'") }
    return seeds
  }

  /// Argument-shape problems of `--seeds` with the other options.
  static func validate(_ text: String, overrides: [String], resume: String?) throws(ValidationError) {
    _ = try parse(text)
    if resume != nil { throw ValidationError("--seeds starts new runs; resume each seed with --resume DIR/seed-N") }
    if overrides.contains(where: { $0.hasPrefix("train.seed=") }) {
      throw ValidationError("--seeds sets train.seed for each run; leave out --set train.seed")
    }
  }

  static func run(recipe reference: String, seeds: [Int], overrides: [String], out: String?, quiet: Bool,
                  terminal: Bool) -> ToolReport {
    let directory: URL
    switch RunRecipe.load(reference, overrides: overrides) {
    case .stopped(let report): return report
    case .loaded(let recipe, _):
      do { directory = try Self.directory(out: out, recipeName: recipe.name) } catch {
        return ToolReport(messages: "error: \(error)\n", exitCode: 1)
      }
    }
    var messages = ""
    for (index, seed) in seeds.enumerated() {
      if !quiet { Output.writeError("seed \(seed) (\(index + 1) of \(seeds.count))\n") }
      let out = directory.appendingPathComponent("seed-\(seed)").path
      let report = RunSession.run(recipe: reference, overrides: overrides + ["train.seed=\(seed)"], out: out, quiet: quiet,
                                  terminal: terminal)
      messages += report.messages
      guard report.exitCode == 0 else { return ToolReport(output: report.output, messages: messages, exitCode: report.exitCode) }
    }
    let table = RunReport.run(directories: [directory.relativePath], out: nil, format: .text)
    return ToolReport(output: table.output, messages: messages + table.messages, exitCode: table.exitCode)
  }

  /// The directory of the seeds' runs: `out`, or `runs/<recipe>-<date-time>/`. An existing
  /// directory may hold only `seed-N` entries (a previous `--seeds` run into it).
  static func directory(out: String?, recipeName: String) throws(RunRecorder.Failure) -> URL {
    guard let out else { return try RunRecorder.directory(out: nil, recipeName: recipeName) }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) else { return URL(fileURLWithPath: out) }
    guard isDirectory.boolValue else { throw RunRecorder.Failure(description: "--out \(out) exists and is not a directory") }
    let contents = (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []
    if let stranger = contents.sorted().first(where: { !$0.hasPrefix("seed-") }) {
      throw RunRecorder.Failure(description: "--out \(out) holds '\(stranger)', not only seed-N run directories; choose another directory")
    }
    return URL(fileURLWithPath: out)
  }
}
