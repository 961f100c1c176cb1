import ArgumentParser
import Foundation
import Recipe

extension ReportFormat: ExpressibleByArgument {}

/// Where the tool commands write: the report's output to stdout, its messages to stderr.
enum Output {
  /// Whether text output may be coloured: a terminal without `NO_COLOR`.
  static var isColored: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Prints `report` and exits with its code when that is not 0.
  static func finish(_ report: ToolReport) throws {
    FileHandle.standardOutput.write(Data(report.output.utf8))
    if !report.messages.isEmpty { FileHandle.standardError.write(Data(report.messages.utf8)) }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }
}
