import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process in a process group of its own, with pipes on its stdin, stdout and
/// stderr, that cannot outlive porecipe: what `reward.command` runs.
///
/// Started with posix_spawn and reaped with waitpid, never through Foundation's `Process`,
/// whose `waitUntilExit` on Linux waits until the command's pipes reach end-of-file — forever
/// when the command left a background child holding them (`sh -c 'sleep 1000 & exec …'`).
///
/// **Nothing outlives porecipe.** A second child, the *watcher* (`/bin/sh`), reads a pipe
/// whose only writer is porecipe; when porecipe ends in any way — an exit, SIGINT, SIGTERM,
/// SIGKILL, a crash — the kernel closes that pipe, the watcher's read ends, and it sends the
/// command's whole group SIGTERM and, a second later, SIGKILL. A signal handler in porecipe
/// could not cover SIGKILL or a trap, and `PR_SET_PDEATHSIG` needs code between fork and exec
/// (which `posix_spawn` does not run) and reaches only the direct child, not what it started.
/// The command's stdin also closes when porecipe goes, so a command that exits on end-of-input
/// ends at once. A descendant that leaves the group (`setsid`, a daemon) escapes both.
final class CommandGroup {
  /// How the command ended.
  enum Termination: Equatable {
    case exited(Int32)
    case signaled(Int32)
  }

  /// The command's pid, which is also its process group's id.
  let pid: pid_t
  /// Our ends of its stdin, stdout and stderr.
  let input: FileHandle, output: FileHandle, errors: FileHandle
  private(set) var termination: Termination?
  private let watcher: pid_t?
  private let lifeline: Int32

  /// Starts `executable` with `arguments` (argv[1...]) in `directory`.
  /// - Throws: the `strerror` text when a pipe or the spawn fails.
  init(executable: String, arguments: [String], directory: String, environment: [String: String]) throws(CommandGroup.Failure) {
    // NOTE: our spawns take this lock so none inherits another's pipe ends in the moment
    // between pipe() and FD_CLOEXEC (a leaked stdin would never reach end-of-file).
    Self.spawning.lock()
    defer { Self.spawning.unlock() }
    let stdin = try Self.makePipe(), stdout = try Self.makePipe(), stderr = try Self.makePipe()
    // NOTE: sh changes to the directory and execs the command (same pid); posix_spawn has
    // no portable chdir.
    let wrapper = ["/bin/sh", "-c", "cd -- \"$1\" || exit 127; shift; exec \"$@\"", "sh", directory, executable] + arguments
    let variables = environment.map { "\($0.key)=\($0.value)" }.sorted()
    do {
      pid = try Self.spawn(wrapper, environment: variables, stdio: (stdin.read, stdout.write, stderr.write))
    } catch {
      for fd in [stdin.read, stdin.write, stdout.read, stdout.write, stderr.read, stderr.write] { close(fd) }
      throw error
    }
    for fd in [stdin.read, stdout.write, stderr.write] { close(fd) }
    input = FileHandle(fileDescriptor: stdin.write, closeOnDealloc: true)
    output = FileHandle(fileDescriptor: stdout.read, closeOnDealloc: true)
    errors = FileHandle(fileDescriptor: stderr.read, closeOnDealloc: true)

    // The watcher: waits for end-of-file on the lifeline, then ends the group.
    let script = "read _; kill -s TERM -- -\(pid) 2>/dev/null || exit 0; sleep 1; kill -s KILL -- -\(pid) 2>/dev/null"
    if let line = try? Self.makePipe() {
      let watcher = try? Self.spawn(["/bin/sh", "-c", script], environment: variables, stdio: (line.read, nil, nil))
      close(line.read)
      if watcher == nil { close(line.write) }
      (self.watcher, lifeline) = (watcher, watcher == nil ? -1 : line.write)
    } else {
      (self.watcher, lifeline) = (nil, -1)
    }
    // NOTE: without a watcher (out of processes) the command still ends at stop() or on its
    // stdin's end-of-file; that is no reason to refuse the run.
  }

  deinit {
    if lifeline >= 0 { close(lifeline) }
  }

  struct Failure: Error, CustomStringConvertible { var description: String }

  /// Whether the command is still running (reaps it when it has ended).
  var isRunning: Bool {
    guard termination == nil else { return false }
    var status: Int32 = 0
    let result = waitpid(pid, &status, WNOHANG)
    if result == pid {
      termination = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    } else if result < 0 && errno == ECHILD {
      termination = .exited(-1)
    }
    return termination == nil
  }

  /// Waits at most `seconds` for the command to end; true when it has.
  @discardableResult
  func waitForExit(seconds: Double) -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while isRunning, Date() < deadline { usleep(10_000) }
    return !isRunning
  }

  /// Whether any process is left in the command's group (its descendants that stayed in it).
  var groupIsAlive: Bool {
    _ = isRunning  // a zombie leader still counts as a member until reaped
    return kill(-pid, 0) == 0 || errno == EPERM
  }

  /// Ends the command and everything left in its group: closes its stdin, waits `grace`
  /// seconds for it to exit, sends the group SIGTERM, then SIGKILL a second later, and
  /// stops the watcher. Never waits on a pipe: a descendant outside the group that holds
  /// one does not stop this.
  func stop(grace: Double) {
    try? input.close()
    if grace > 0 { waitForExit(seconds: grace) }
    if groupIsAlive {
      kill(-pid, SIGTERM)
      let deadline = Date(timeIntervalSinceNow: 1)
      while groupIsAlive, Date() < deadline { usleep(10_000) }
      if groupIsAlive { kill(-pid, SIGKILL) }
    }
    waitForExit(seconds: 5)
    if let watcher {
      kill(watcher, SIGKILL)
      var status: Int32 = 0
      _ = waitpid(watcher, &status, 0)
    }
  }

  // MARK: - posix_spawn

  private static let spawning = NSLock()

  /// A pipe whose ends close on exec (the spawn moves the child's end onto 0, 1 or 2).
  private static func makePipe() throws(Failure) -> (read: Int32, write: Int32) {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { throw Failure(description: "cannot make a pipe: \(String(cString: strerror(errno)))") }
    for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    return (fds[0], fds[1])
  }

  /// Spawns `argv` in a new process group with `stdio` on 0, 1, 2 (nil: /dev/null), every
  /// signal unblocked and SIGPIPE, SIGINT, SIGTERM at their defaults (porecipe ignores SIGPIPE).
  private static func spawn(_ argv: [String], environment: [String], stdio: (Int32, Int32?, Int32?)) throws(Failure) -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for (source, target) in [(stdio.0, Int32(0)), (stdio.1, 1), (stdio.2, 2)] as [(Int32?, Int32)] {
      if let source {
        posix_spawn_file_actions_adddup2(&actions, source, target)
      } else {
        posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
      }
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), defaults = sigset_t()
    sigemptyset(&none)
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = environment.map { strdup($0) } + [nil]
    defer { for pointer in cArguments + cEnvironment { free(pointer) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    guard result == 0 else { throw Failure(description: String(cString: strerror(result))) }
    return pid
  }
}
