import Foundation

/// Reads lines from a pipe on its own thread; the owner takes them with a timeout.
/// `@unchecked Sendable`: every stored property but the lock is read and written under `condition`.
final class LineReader: @unchecked Sendable {
  enum Event { case line(String), timedOut, closed }

  private let condition = NSCondition()
  private var pending: [String] = []
  private var tail: [String] = []
  private var isClosed = false

  init(_ handle: FileHandle) {
    let thread = Thread { [self] in read(handle) }
    thread.start()
  }

  /// The last few lines received (at most 5), for error messages.
  var recent: [String] {
    condition.lock()
    defer { condition.unlock() }
    return tail
  }

  /// The next line, waiting at most `timeout` seconds.
  func nextLine(timeout: Double) -> Event {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while pending.isEmpty, !isClosed {
      if !condition.wait(until: deadline) && pending.isEmpty && !isClosed { return .timedOut }
    }
    if pending.isEmpty { return .closed }
    return .line(pending.removeFirst())
  }

  /// Waits until the pipe reaches end-of-file; false after `timeout` seconds.
  func waitUntilClosed(timeout: Double) -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    condition.lock()
    defer { condition.unlock() }
    while !isClosed {
      if !condition.wait(until: deadline) { return isClosed }
    }
    return true
  }

  private func read(_ handle: FileHandle) {
    var buffer = Data()
    while true {
      let chunk = handle.availableData
      if chunk.isEmpty { break }
      buffer.append(chunk)
      var lines: [String] = []
      while let newline = buffer.firstIndex(of: 0x0A) {
        lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
        buffer.removeSubrange(buffer.startIndex...newline)
      }
      if !lines.isEmpty { receive(lines) }
    }
    if !buffer.isEmpty { receive([String(decoding: buffer, as: UTF8.self)]) }
    condition.lock()
    isClosed = true
    condition.broadcast()
    condition.unlock()
  }

  private func receive(_ lines: [String]) {
    condition.lock()
    pending += lines
    tail = Array((tail + lines).suffix(5))
    condition.broadcast()
    condition.unlock()
  }
}
