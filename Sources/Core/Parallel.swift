#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// Splits work into chunks that run on the machine's cores at the same time.
///
/// Callers choose the number of chunks and what each chunk covers from the problem's sizes
/// only, never from timing, so a result does not depend on how the chunks were scheduled.
/// Chunks go to `coreCount − 1` resident worker threads plus the calling thread.
public enum Parallel {
  /// Number of threads that share the work (at least 1): the active processor count, or the
  /// environment variable `PORECIPE_THREADS` when that is a positive integer (the count
  /// ignores `taskset` affinity masks, so set both together).
  public static var coreCount: Int { pool.threadCount }

  private static let pool = WorkerPool(threadCount: configuredThreadCount())

  /// Calls `body(i)` once for every `i` in `0..<chunks`, on up to `coreCount` threads, and
  /// returns when all calls have returned.
  ///
  /// Calls for different chunks may run concurrently, so `body` must write only memory that
  /// belongs to its own chunk. A single chunk, a nested call, or a call made while another
  /// thread's `forEach` is running executes every chunk on the calling thread, in order.
  public static func forEach(_ chunks: Int, _ body: (Int) -> Void) {
    if chunks <= 0 { return }
    if chunks == 1 || pool.threadCount == 1 {
      for chunk in 0..<chunks { body(chunk) }
      return
    }
    pool.run(chunks, body)
  }

  private static func configuredThreadCount() -> Int {
    if let text = getenv("PORECIPE_THREADS"), let requested = Int(String(cString: text)), requested > 0 {
      return requested
    }
    return max(1, ProcessInfo.processInfo.activeProcessorCount)
  }
}

/// Resident threads that pick up the chunks of one `Parallel.forEach` at a time.
///
/// Workers spin for a short while after each job, so that back-to-back products find them
/// awake: waking a sleeping thread costs tens of microseconds here (measured ~40 µs through
/// Dispatch), as long as a whole small product. After the spin they sleep on a semaphore.
private final class WorkerPool: @unchecked Sendable {
  let threadCount: Int
  /// How long an idle worker keeps polling for the next job before it sleeps.
  private static let spinNanoseconds: UInt64 = 300_000

  /// Nonzero while a job is open: its serial number. Workers read `body` and `chunks` only
  /// after seeing the job open (and re-checking after announcing themselves in `active`).
  private let openJob = Atomic<Int>(0)
  private let nextChunk = Atomic<Int>(0)
  private let finished = Atomic<Int>(0)
  private let active = Atomic<Int>(0)
  private let busy = Atomic<Bool>(false)
  private let sleepers = Atomic<Int>(0)
  private let wakeUp = DispatchSemaphore(value: 0)
  private var serial = 0
  private var chunks = 0
  private var body: ((Int) -> Void)?

  init(threadCount: Int) {
    self.threadCount = threadCount
    for _ in 1..<max(threadCount, 1) {
      let thread = Thread { [self] in work() }
      thread.name = "porecipe-worker"
      thread.start()
    }
  }

  func run(_ chunks: Int, _ body: (Int) -> Void) {
    guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
      for chunk in 0..<chunks { body(chunk) }
      return
    }
    withoutActuallyEscaping(body) { body in
      self.body = body
      self.chunks = chunks
      serial &+= 1
      if serial == 0 { serial = 1 }
      nextChunk.store(0, ordering: .relaxed)
      finished.store(0, ordering: .relaxed)
      openJob.store(serial, ordering: .sequentiallyConsistent)
      for _ in 0..<sleepers.exchange(0, ordering: .sequentiallyConsistent) { wakeUp.signal() }

      runChunks(body, chunks)
      waitUntil { finished.load(ordering: .acquiring) == chunks }
      openJob.store(0, ordering: .sequentiallyConsistent)
      waitUntil { active.load(ordering: .sequentiallyConsistent) == 0 }
      self.body = nil
    }
    busy.store(false, ordering: .releasing)
  }

  private func runChunks(_ body: (Int) -> Void, _ chunks: Int) {
    while true {
      let chunk = nextChunk.wrappingAdd(1, ordering: .relaxed).oldValue
      if chunk >= chunks { return }
      body(chunk)
      finished.wrappingAdd(1, ordering: .releasing)
    }
  }

  /// Polls `condition`, yielding the core now and then in case the thread it waits for
  /// shares it.
  private func waitUntil(_ condition: () -> Bool) {
    var polls = 0
    while !condition() {
      polls += 1
      if polls & 1023 == 0 { sched_yield() }
    }
  }

  private func work() {
    var lastJob = 0
    while true {
      let job = waitForJob(after: lastJob)
      active.wrappingAdd(1, ordering: .sequentiallyConsistent)
      if openJob.load(ordering: .sequentiallyConsistent) == job {
        lastJob = job
        joinOpenJob()
      }
      active.wrappingSubtract(1, ordering: .sequentiallyConsistent)
    }
  }

  /// Runs chunks of the open job; its own frame, so the closure is released before the
  /// caller leaves `active`.
  @inline(never)
  private func joinOpenJob() {
    if let body { runChunks(body, chunks) }
  }

  /// Spins until a job other than `lastJob` is open, sleeping once the spin time is up.
  private func waitForJob(after lastJob: Int) -> Int {
    while true {
      var deadline: UInt64 = 0
      var polls = 0
      while true {
        let job = openJob.load(ordering: .acquiring)
        if job != 0 && job != lastJob { return job }
        polls += 1
        if polls & 255 == 0 {
          let now = DispatchTime.now().uptimeNanoseconds
          if deadline == 0 {
            deadline = now + Self.spinNanoseconds
          } else if now > deadline {
            break
          }
          if polls & 4095 == 0 { sched_yield() }
        }
      }
      sleepers.wrappingAdd(1, ordering: .sequentiallyConsistent)
      let job = openJob.load(ordering: .sequentiallyConsistent)
      if job != 0 && job != lastJob { return job }
      wakeUp.wait()
    }
  }
}
