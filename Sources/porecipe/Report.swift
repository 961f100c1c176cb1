import ArgumentParser
import Foundation
import Recipe

/// `porecipe report DIR...`: compare runs — a table of their headline figures and an HTML
/// page of charts, each recipe a series with its mean and min–max range across seeds.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Compare runs: a table on stdout and an HTML page of charts across runs and seeds.",
    discussion: """
      Each DIR is a run directory (as 'porecipe run' writes it) or a directory of \
      seed-N run directories (as 'porecipe run --seeds' writes it). A seeds \
      directory is one series; loose run directories of one recipe are one series. \
      A series' figures are the mean over its runs with the min-max range in \
      brackets. The table has the final and best eval_accuracy (token tasks) or \
      episode_return_mean (classic control), warm-start accuracy and gain where \
      present, runs that solved the task, and wall time. --out writes a \
      self-contained HTML page (inline SVG, no scripts) charting held-out \
      accuracy, response length and entropy over iterations (token tasks) or \
      episode return and entropy over env steps (classic control), a mean line \
      and a min-max band per series; --out - writes none.

      Exit codes: 0 success, 1 a run directory with a corrupt or empty metrics.jsonl, \
      2 usage error or unreadable path.

      Examples:
        porecipe run recipes/ppo.yaml --seeds 1,2,3 --out runs/ppo
        porecipe run recipes/a2c.yaml --seeds 1,2,3 --out runs/a2c
        porecipe report runs/ppo runs/a2c --out ppo-vs-a2c.html
      """)

  @Argument(help: ArgumentHelp("Run directories or directories of seed-N runs.", valueName: "DIR"))
  var directories: [String]

  @Option(help: ArgumentHelp("The HTML page to write ('-' for none).", valueName: "FILE"))
  var out = "report.html"

  @Option(help: "Table format.")
  var format: ReportFormat = .text

  func run() throws {
    try Output.finish(RunReport.run(directories: directories, out: out == "-" ? nil : out, format: format))
  }
}

/// The whole of `porecipe report`: read the runs, print the table, write the page.
enum RunReport {
  static func run(directories: [String], out: String?, format: ReportFormat) -> ToolReport {
    let series: [ReportSeries]
    do {
      series = try ReportSeries.reading(directories)
    } catch {
      return ToolReport(messages: "error: \(error)\n", exitCode: error.exitCode)
    }
    let table = format == .json ? ReportTable.json(series).pretty : ReportTable.text(series)
    guard let out else { return ToolReport(output: table) }
    do {
      try Data(ReportPage.html(series).utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
    } catch {
      return ToolReport(output: table, messages: "error: cannot write \(out): \(Output.reason(error))\n", exitCode: 2)
    }
    return ToolReport(output: table, messages: "wrote \(out)\n")
  }
}
