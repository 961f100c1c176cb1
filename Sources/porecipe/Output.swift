import ArgumentParser
import Foundation
import Recipe
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReportFormat: ExpressibleByArgument {}

/// Where the tool commands write: the report's output to stdout, its messages to stderr.
enum Output {
  /// A write that did not happen: `cannot write PATH: No space left on device`.
  struct WriteFailure: Error, CustomStringConvertible {
    /// The file as the user named it (`runs/x/metrics.jsonl`, `standard output`).
    var name: String
    /// The system's reason (`strerror`).
    var reason: String
    var description: String { "cannot write \(name): \(reason)" }
  }

  /// Whether text output may be coloured: a terminal without `NO_COLOR`.
  static var isColored: Bool {
    isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
  }

  /// Prints `report` and exits with its code when that is not 0.
  /// - Throws: `WriteFailure` when standard output cannot take the output.
  static func finish(_ report: ToolReport) throws {
    try write(report.output)
    if !report.messages.isEmpty { writeError(report.messages) }
    if report.exitCode != 0 { throw ExitCode(report.exitCode) }
  }

  /// Writes `text` to standard output.
  static func write(_ text: String) throws(WriteFailure) {
    try write(Data(text.utf8), to: .standardOutput, name: "standard output")
  }

  /// Writes `text` to standard error.
  // NOTE: a failure is dropped: there is nowhere left to report it, and the exit code
  // already says whether the command succeeded.
  static func writeError(_ text: String) {
    try? write(Data(text.utf8), to: .standardError, name: "standard error")
  }

  /// Writes all of `data` to `handle` with write(2), retrying short writes and EINTR.
  ///
  /// Foundation's `FileHandle.write(_:)` traps on an error (a full disk, `> /dev/full`);
  /// this throws instead, so the command can say so and exit 1 with what was written kept.
  static func write(_ data: Data, to handle: FileHandle, name: String) throws(WriteFailure) {
    let descriptor = handle.fileDescriptor
    let failure: Int32? = data.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return nil }
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(descriptor, base + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return errno
        }
        offset += written
      }
      return nil
    }
    if let failure { throw WriteFailure(name: name, reason: String(cString: strerror(failure))) }
  }

  /// Forces what was written to `handle` to the disk (fsync), where a full disk may show
  /// only now. Files that cannot be synchronized (a pipe, a device) pass.
  static func synchronize(_ handle: FileHandle, name: String) throws(WriteFailure) {
    guard fsync(handle.fileDescriptor) != 0 else { return }
    let failure = errno
    if failure != EINVAL && failure != EROFS { throw WriteFailure(name: name, reason: String(cString: strerror(failure))) }
  }

  /// Writes `data` to the file `url` atomically (a temporary name, then renamed).
  static func write(_ data: Data, to url: URL) throws(WriteFailure) {
    do { try data.write(to: url, options: .atomic) } catch { throw WriteFailure(name: url.relativePath, reason: reason(error)) }
  }

  /// The system's words for a Foundation file error (`No space left on device`), not
  /// `The operation could not be completed` with its domain and code.
  static func reason(_ error: any Error) -> String {
    let error = error as NSError
    let posix = error.domain == NSPOSIXErrorDomain ? error : error.userInfo[NSUnderlyingErrorKey] as? NSError
    if let posix, posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
    return error.localizedDescription
  }
}

/// write(2), out of `Output`'s scope where `write` names its own methods.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, bytes, count)
}
