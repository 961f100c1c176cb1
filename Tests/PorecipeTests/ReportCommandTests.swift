import Foundation
import Testing
import TestSupport

@testable import porecipe

/// `porecipe report`: reading run directories, the figures across seeds, the table, the charts
/// and the errors, on run directories written here.
@Suite struct ReportCommandTests {
  /// Writes a run directory at `path` with the given metrics lines and summary.
  static func writeRun(_ path: URL, recipe: String, seed: Int, metrics: [String], summary: String?) throws {
    try FileManager.default.createDirectory(at: path, withIntermediateDirectories: true)
    let yaml = """
      # \(recipe) resolved by porecipe from recipes/\(recipe).yaml: every value, with its origin.
      recipe: "\(recipe)"                                 # recipes/\(recipe).yaml:1:9
      task:
        arithmetic:
          seed: 99                                # default
      train:
        epochs: 1                                   # default
        seed: \(seed)                                     # --set

      """
    try Data(yaml.utf8).write(to: path.appendingPathComponent("recipe.resolved.yaml"))
    try Data(metrics.map { $0 + "\n" }.joined().utf8).write(to: path.appendingPathComponent("metrics.jsonl"))
    if let summary { try Data(summary.utf8).write(to: path.appendingPathComponent("summary.json")) }
  }

  /// A seeds directory of two token runs of `grpo` and two loose CartPole runs of `ppo`.
  static func fixture(_ temporary: TemporaryDirectory) throws -> (seeds: String, ppoA: String, ppoB: String) {
    let seeds = temporary.url.appendingPathComponent("grpo")
    try writeRun(seeds.appendingPathComponent("seed-1"), recipe: "grpo", seed: 1, metrics: [
      #"{"iteration":1,"samples":256,"wall_s":1.0,"reward_mean":0.3,"response_length_mean":10,"entropy":0.9}"#,
      #"{"iteration":2,"samples":512,"wall_s":2.0,"eval_accuracy":0.40,"response_length_mean":12,"entropy":0.8}"#,
    ], summary: #"{"warm_start_eval_accuracy": 0.25, "final_eval_accuracy": 0.40, "wall_s": 2.5}"#)
    try writeRun(seeds.appendingPathComponent("seed-2"), recipe: "grpo", seed: 2, metrics: [
      #"{"iteration":1,"samples":256,"wall_s":1.5,"eval_accuracy":0.55,"response_length_mean":14,"entropy":0.7}"#,
      #"{"iteration":2,"samples":512,"wall_s":3.0,"eval_accuracy":0.50,"response_length_mean":16,"entropy":0.6}"#,
    ], summary: #"{"warm_start_eval_accuracy": 0.30, "final_eval_accuracy": 0.50, "wall_s": 3.5}"#)
    let a = temporary.url.appendingPathComponent("ppo-a"), b = temporary.url.appendingPathComponent("ppo-b")
    try writeRun(a, recipe: "ppo", seed: 1, metrics: [
      #"{"iteration":1,"env_steps":128,"wall_s":0.5,"episode_return_mean":10,"entropy":0.69}"#,
      #"{"iteration":2,"env_steps":256,"wall_s":1.0,"episode_return_mean":20,"entropy":0.68}"#,
    ], summary: #"{"final_episode_return_mean": 20, "best_episode_return_mean": 20, "env_steps": 256, "wall_s": 1.0}"#)
    // No summary.json (a killed run): the figures come from the last lines.
    try writeRun(b, recipe: "ppo", seed: 2, metrics: [
      #"{"iteration":1,"env_steps":128,"wall_s":0.75,"episode_return_mean":30,"entropy":0.67}"#,
      #"{"iteration":2,"env_steps":256,"wall_s":1.5,"episode_return_mean":40,"entropy":0.66}"#,
    ], summary: nil)
    return (seeds.path, a.path, b.path)
  }

  @Test("a seeds directory is one series: final, best, warm start and gain as mean with min-max, curves by iteration")
  func tokenSeries() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let series = try ReportSeries.reading([paths.seeds])
    #expect(series.count == 1)
    let grpo = series[0]
    #expect(grpo.kind == .token && grpo.metric == "eval_accuracy" && grpo.seeds == [1, 2])
    // final: 0.40, 0.50 → 0.45; best: max(0.40) = 0.40, max(0.55, 0.50) = 0.55 → 0.475;
    // warm: 0.25, 0.30 → 0.275; gain: 0.15, 0.20 → 0.175; wall: 2.5, 3.5 → 3.0.
    let figures = [grpo.final, grpo.best, grpo.warmStart, grpo.gain, grpo.wall]
    let expected = [(0.45, 0.40, 0.50), (0.475, 0.40, 0.55), (0.275, 0.25, 0.30), (0.175, 0.15, 0.20), (3.0, 2.5, 3.5)]
    for (figure, (mean, low, high)) in zip(figures, expected) {
      let spread = try #require(figure)
      #expect(isClose(spread.mean, mean) && isClose(spread.min, low) && isClose(spread.max, high) && spread.count == 2, "\(spread)")
    }
    // Accuracy: the warm start at iteration 0 (0.25, 0.30), only seed 2 at 1 (0.55), both at 2 (0.40, 0.50).
    let accuracy = grpo.curve("eval_accuracy")
    #expect(accuracy.map(\.x) == [0, 1, 2])
    #expect(accuracy.map(\.y.count) == [2, 1, 2])
    #expect(allClose(accuracy.map(\.y.mean), [0.275, 0.55, 0.45], rtol: 1e-12))
    let length = grpo.curve("response_length_mean")
    #expect(length.map(\.y) == [Spread(mean: 12, min: 10, max: 14, count: 2), Spread(mean: 14, min: 12, max: 16, count: 2)])
  }

  @Test("loose run directories of one recipe are one series; environment runs by env steps; a missing summary uses the last line")
  func environmentSeries() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let series = try ReportSeries.reading([paths.ppoA, paths.ppoB])
    #expect(series.count == 1)
    let ppo = series[0]
    #expect(ppo.kind == .environment && ppo.metric == "episode_return_mean" && ppo.seeds == [1, 2])
    #expect(ppo.final == Spread(mean: 30, min: 20, max: 40, count: 2))
    #expect(ppo.best == Spread(mean: 30, min: 20, max: 40, count: 2))
    #expect(ppo.wall == Spread(mean: 1.25, min: 1.0, max: 1.5, count: 2))
    #expect(ppo.warmStart == nil && ppo.gain == nil)
    #expect(ppo.curve("episode_return_mean") == [BandPoint(x: 128, y: Spread(mean: 20, min: 10, max: 30, count: 2)),
                                                 BandPoint(x: 256, y: Spread(mean: 30, min: 20, max: 40, count: 2))])
  }

  @Test("the table: one row per series, mean [min, max], '-' where a figure does not apply")
  func table() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let report = RunReport.run(directories: [paths.seeds, paths.ppoA, paths.ppoB], out: nil, format: .text)
    #expect(report.exitCode == 0 && report.messages.isEmpty)
    #expect(report.output == """
      recipe  runs  seeds  metric               final                 best                  warm start            gain                     solved  wall_s
      grpo    2     1,2    eval_accuracy        0.450 [0.400, 0.500]  0.475 [0.400, 0.550]  0.275 [0.250, 0.300]  +0.175 [+0.150, +0.200]  -       3.0 [2.5, 3.5]
      ppo     2     1,2    episode_return_mean  30.0 [20.0, 40.0]     30.0 [20.0, 40.0]     -                     -                        0/2     1.2 [1.0, 1.5]

      """)
    let json = RunReport.run(directories: [paths.seeds], out: nil, format: .json)
    #expect(json.output.contains(#""gain": {"#) && json.output.contains(#""mean": 0.45"#), "\(json.output)")
  }

  @Test("the HTML page: inline SVG charts with a line and a band per series, a legend, no script")
  func page() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let out = temporary.url.appendingPathComponent("report.html").path
    let report = RunReport.run(directories: [paths.seeds, paths.ppoA, paths.ppoB], out: out, format: .text)
    #expect(report.exitCode == 0)
    #expect(report.messages == "wrote \(out)\n")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    for title in ["Held-out accuracy", "Response length", "Entropy (token runs)", "Episode return", "Entropy (environment runs)"] {
      #expect(html.contains(">\(title)</text>"), "\(title)")
    }
    #expect(html.components(separatedBy: "<svg ").count - 1 == 5)
    #expect(html.components(separatedBy: #"<polyline class="mean" data-series="grpo""#).count - 1 == 3)
    #expect(html.components(separatedBy: #"<polygon class="band" data-series="ppo""#).count - 1 == 2)
    #expect(!html.contains("<script") && !html.contains("https://"))
  }

  @Test("a chart escapes names, draws one point as a dot, and ticks at round values")
  func chart() {
    let one = Spread(mean: 1, min: 1, max: 1, count: 1)
    let chart = LineChart(title: "A & B", xLabel: "x", yLabel: "y", lines: [.init(name: "<mine>", points: [BandPoint(x: 0, y: one)])])
    let svg = chart.svg()
    #expect(svg.contains("<title>A &amp; B</title>"))
    #expect(svg.contains(#"<circle class="mean" data-series="&lt;mine&gt;""#))
    #expect(svg.contains(">&lt;mine&gt;</text>"))
    let steps = ChartAxis(covering: [128, 2048])
    #expect(steps.ticks == [0, 500, 1000, 1500, 2000, 2500] && steps.label(2000) == "2000")
    let accuracy = ChartAxis(covering: [0.13, 0.87])
    #expect(accuracy.ticks.count == 9 && isClose(accuracy.lower, 0.1) && isClose(accuracy.upper, 0.9))
    #expect(accuracy.ticks.map(accuracy.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"])
    #expect(ChartAxis(covering: [0, 200_000]).label(100_000) == "100k")
  }

  @Test("errors name the file and line; an unreadable path exits 2, a corrupt run 1",
        arguments: zip(["{\"iteration\":1,\"env_steps\":128}\n{\"iteration\":2,\"env_st", "{\"iteration\":1}\n\n{\"iteration\":2}\n",
                        "[1, 2]\n", "{\"env_steps\": 128}\n", "", "{\"iteration\":1,\"wall_s\":1}\n"],
                       [":2: not JSON: '{\"iteration\":2,\"env_st'", ":2: empty line", ":1: not a JSON object: '[1, 2]'",
                        ":1: no numeric 'iteration' key", ": no iteration recorded",
                        ": no line has env_steps (classic control) or samples (token task)"]))
  func corrupt(metrics: String, message: String) throws {
    let temporary = try TemporaryDirectory()
    let run = temporary.url.appendingPathComponent("run")
    try Self.writeRun(run, recipe: "ppo", seed: 1, metrics: [], summary: nil)
    try Data(metrics.utf8).write(to: run.appendingPathComponent("metrics.jsonl"))
    let report = RunReport.run(directories: [run.path], out: nil, format: .text)
    #expect(report.exitCode == 1)
    #expect(report.messages == "error: \(run.path)/metrics.jsonl\(message)\n")
  }

  @Test("errors: no such directory (2), neither a run nor seeds (1), a corrupt summary, runs of one recipe of two kinds")
  func badDirectories() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let missing = temporary.url.appendingPathComponent("missing").path
    #expect(RunReport.run(directories: [missing], out: nil, format: .text)
      == .init(messages: "error: cannot read \(missing): no such directory\n", exitCode: 2))
    let empty = temporary.url.appendingPathComponent("empty")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    #expect(RunReport.run(directories: [empty.path], out: nil, format: .text).messages
      == "error: \(empty.path) is not a run directory (no recipe.resolved.yaml) nor a directory of seed-N run directories\n")
    try Data("{\"wall_s\": ".utf8).write(to: URL(fileURLWithPath: paths.ppoB).appendingPathComponent("summary.json"))
    #expect(RunReport.run(directories: [paths.ppoB], out: nil, format: .text).messages == "error: \(paths.ppoB)/summary.json: not JSON\n")
    let tokenPPO = temporary.url.appendingPathComponent("ppo-token")
    try Self.writeRun(tokenPPO, recipe: "ppo", seed: 3, metrics: [#"{"iteration":1,"samples":8,"eval_accuracy":0.5}"#], summary: nil)
    let mixed = RunReport.run(directories: [paths.ppoA, tokenPPO.path], out: nil, format: .text)
    #expect(mixed.exitCode == 1 && mixed.messages.contains("a token run of 'ppo' in a series of environment runs"), "\(mixed.messages)")
  }

  @Test("two seeds directories of one recipe are two series, labelled by directory")
  func labels() throws {
    let temporary = try TemporaryDirectory()
    let paths = try Self.fixture(temporary)
    let copy = temporary.url.appendingPathComponent("grpo-high").path
    try FileManager.default.copyItem(atPath: paths.seeds, toPath: copy)
    let series = try ReportSeries.reading([paths.seeds, copy])
    #expect(series.map(\.label) == ["grpo (\(paths.seeds))", "grpo (\(copy))"])
  }

  // Five points thinned to 2: runs of ⌈5/2⌉ = 3 and the remaining 2.
  // First: x (1+2+3)/3 = 2, mean (1+2+3)/3 = 2, min 0, max 9; second: x 4.5, mean 4.5, min 3, max 6.
  @Test("a long curve is drawn in runs of consecutive points: mean of means, extremes of the ranges")
  func thinning() {
    let points = [(1.0, 1.0, 0.0, 2.0), (2, 2, 1, 9), (3, 3, 2, 4), (4, 4, 3, 5), (5, 5, 4, 6)].map {
      BandPoint(x: $0.0, y: Spread(mean: $0.1, min: $0.2, max: $0.3, count: 3))
    }
    #expect(LineChart.thinned(points, to: 2) == [BandPoint(x: 2, y: Spread(mean: 2, min: 0, max: 9, count: 3)),
                                                BandPoint(x: 4.5, y: Spread(mean: 4.5, min: 3, max: 6, count: 3))])
    #expect(LineChart.thinned(points, to: 5) == points)
  }

  @Test("report --help is exactly this")
  func help() {
    #expect(Porecipe.helpMessage(for: ReportCommand.self, columns: 80) == """
      OVERVIEW: Compare runs: a table on stdout and an HTML page of charts across
      runs and seeds.

      Each DIR is a run directory (as 'porecipe run' writes it) or a directory of
      seed-N run directories (as 'porecipe run --seeds' writes it). A seeds directory
      is one series; loose run directories of one recipe are one series. A series'
      figures are the mean over its runs with the min-max range in brackets. The
      table has the final and best eval_accuracy (token tasks) or episode_return_mean
      (classic control), warm-start accuracy and gain where present, runs that solved
      the task, and wall time. --out writes a self-contained HTML page (inline SVG,
      no scripts) charting held-out accuracy, response length and entropy over
      iterations (token tasks) or episode return and entropy over env steps (classic
      control), a mean line and a min-max band per series; --out - writes none.

      Exit codes: 0 success, 1 a run directory with a corrupt or empty metrics.jsonl,
      2 usage error or unreadable path.

      Examples:
        porecipe run recipes/ppo.yaml --seeds 1,2,3 --out runs/ppo
        porecipe run recipes/a2c.yaml --seeds 1,2,3 --out runs/a2c
        porecipe report runs/ppo runs/a2c --out ppo-vs-a2c.html

      USAGE: porecipe report <DIR> ... [--out <FILE>] [--format <format>]

      ARGUMENTS:
        <DIR>                   Run directories or directories of seed-N runs.

      OPTIONS:
        --out <FILE>            The HTML page to write ('-' for none). (default:
                                report.html)
        --format <format>       Table format. (values: text, json; default: text)
        -h, --help              Show help information.

      """)
  }
}
