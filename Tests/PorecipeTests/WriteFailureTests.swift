import Diagnostics
import Foundation
import Testing
import TestSupport

@testable import porecipe

#if os(Linux)
/// Writes that fail (a full disk, `> /dev/full`) are errors with the system's reason and exit
/// code 1, never a trap; what was written before stays.
@Suite struct WriteFailureTests {
  @Test("porecipe schema > /dev/full: error: cannot write standard output: No space left on device, exit code 1")
  func schemaToFullDevice() async throws {
    let result = try await #require(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      let full = open("/dev/full", O_WRONLY)
      guard full >= 0, dup2(full, STDOUT_FILENO) >= 0 else { exit(3) }
      Porecipe.main(["schema"])
    }
    #expect(String(decoding: result.standardErrorContent, as: UTF8.self) == "error: cannot write standard output: No space left on device\n")
  }

  @Test("a metrics line that cannot be written throws, naming the file")
  func recorderAppend() throws {
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let directory = URL(fileURLWithPath: "runs/x")
    #expect {
      try RunRecorder.append(.object([("iteration", .int(1))]), to: full, in: directory)
    } throws: { error in
      "\(error)" == "cannot write runs/x/metrics.jsonl: No space left on device"
    }
  }

  @Test("a run whose metrics.jsonl is on a full device stops with exit code 1, the error and its summary.json written")
  func runOnFullDevice() throws {
    let temporary = try TemporaryDirectory()
    let out = temporary.url.appendingPathComponent("run")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    try Data().write(to: out.appendingPathComponent(RunRecorder.marker))
    try FileManager.default.createSymbolicLink(atPath: out.appendingPathComponent("metrics.jsonl").path, withDestinationPath: "/dev/full")
    let report = RunSession.run(recipe: RunCommandTests.recipe, overrides: RunCommandTests.small, out: out.path, quiet: true, terminal: false)
    #expect(report.exitCode == 1)
    #expect(report.messages == "error: the run stopped: cannot write \(out.path)/metrics.jsonl: No space left on device; "
      + "what the run had is in \(out.path)\n")
    let summary = try String(contentsOf: out.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(summary.contains("No space left on device"))
  }
}
#endif
