import ArgumentParser
import Foundation

/// `porecipe bench`: the one benchmark entry point, one JSON object per line.
struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure the compute core; prints one JSON object per benchmark.",
    discussion: """
      Each line is {"name": ..., "value": ..., "min": ..., "unit": ...}: value is the \
      median of at least 5 repetitions, min the best one. Build with -c release to measure \
      what users run:

        swift run -c release porecipe bench
        swift run -c release porecipe bench --filter sgemm_n256
      """)

  @Option(help: "Run only the benchmarks whose name contains this text.")
  var filter: String?

  @Option(help: "Repetitions per benchmark (at least 5).")
  var repetitions: Int = 7

  @Flag(help: "List the benchmark names and exit.")
  var list = false

  @Flag(help: "Print the planned schedule of each selected graph benchmark (kernels, fused groups, buffer bytes) instead of measuring.")
  var showPlan = false

  func validate() throws {
    guard repetitions >= 5 else { throw ValidationError("--repetitions must be at least 5") }
  }

  func run() throws {
    let selected = BenchmarkSuite.all.filter { filter == nil || $0.name.contains(filter!) }
    if list {
      for benchmark in selected { try Output.write(benchmark.name + "\n") }
      return
    }
    if selected.isEmpty {
      throw ValidationError("no benchmark name contains '\(filter ?? "")'; see --list")
    }
    if showPlan {
      for benchmark in selected { if let plan = try benchmark.plan?() { try Output.write("\(benchmark.name):\n\(plan)\n") } }
      return
    }
    for benchmark in selected {
      let result = try benchmark.measure(repetitions: repetitions)
      try Output.write(result.jsonLine + "\n")
    }
  }
}
