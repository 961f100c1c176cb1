import ArgumentParser
import Foundation
import Recipe

extension OutputFormat: ExpressibleByArgument {}

/// `porecipe check PATH...`: lint recipes like a compiler, for people and for CI.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check recipes: unknown keys, types, ranges, suspicious combinations.",
    discussion: """
      Each PATH is a recipe file, or a directory searched recursively for *.yaml \
      and *.yml (hidden directories and .build are skipped).

      Exit codes: 0 no findings, 1 findings (warnings only with --strict), \
      2 usage error or unreadable path.

      Examples:
        porecipe check recipes/
        porecipe check my.yaml --set objective.clip.high=0.28
        porecipe check recipes/ --format sarif > porecipe.sarif
      """)

  @Argument(help: "Recipe files or directories.")
  var paths: [String]

  @OptionGroup var options: OverrideOptions

  @Option(help: "Output format.")
  var format: OutputFormat = .text

  @Flag(help: "Fail on warnings too.")
  var strict = false

  func run() throws {
    let colored = format == .text && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
    let report = RecipeCheck.run(paths: paths, overrides: options.overrides, format: format, strict: strict, colored: colored)
    try Output.write(report.output)
    if format == .text { Output.writeError(report.summary + "\n") }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}
