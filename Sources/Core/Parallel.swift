import Dispatch
import Foundation

/// Splits work into chunks that run on the machine's cores at the same time.
///
/// Callers choose the number of chunks and what each chunk covers from the problem's sizes
/// only, never from timing, so a result does not depend on how the chunks were scheduled.
public enum Parallel {
  /// Number of cores available to this process (at least 1).
  public static var coreCount: Int { availableCores }

  private static let availableCores = max(1, ProcessInfo.processInfo.activeProcessorCount)

  /// Calls `body(i)` once for every `i` in `0..<chunks`, on up to `coreCount` threads, and
  /// returns when all calls have returned.
  ///
  /// Calls for different chunks may run concurrently, so `body` must write only memory that
  /// belongs to its own chunk. A single chunk runs on the calling thread with no hand-off.
  public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
    if chunks <= 0 { return }
    if chunks == 1 {
      body(0)
      return
    }
    withoutActuallyEscaping(body) { escapable in
      let shared = UncheckedBody(call: escapable)
      DispatchQueue.concurrentPerform(iterations: chunks) { shared.call($0) }
    }
  }
}

/// The chunk body handed to Dispatch's `@Sendable` closure; `Parallel.forEach`'s contract
/// (each chunk writes only its own memory) is what makes sharing it sound.
private struct UncheckedBody: @unchecked Sendable {
  let call: (Int) -> Void
}
