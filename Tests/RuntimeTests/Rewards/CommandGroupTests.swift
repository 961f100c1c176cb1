import Core
import Foundation
import Runtime
import Testing
import TestSupport

#if os(Linux)
/// A reward command leaves nothing behind: not a background child that holds its pipes, not
/// itself when porecipe is killed.
@Suite(.timeLimit(.minutes(1))) struct CommandGroupTests {
  /// Writes its pid and a background child's (which keeps stdout open) to files, then answers
  /// every request with 1.
  static let scorer = """
    echo $$ > command.pid
    sleep 1000 &
    echo $! > grandchild.pid
    while IFS= read -r line; do
      id=${line#*\\"id\\":}; id=${id%%,*}
      echo "{\\"id\\": $id, \\"reward\\": 1}"
    done
    """

  static func pipeline(in directory: TemporaryDirectory) throws -> RewardPipeline {
    _ = try directory.write("score.sh", scorer)
    return try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]),
                              terms: [.command(weight: 1, argv: ["sh", "score.sh"], timeoutSeconds: 10)],
                              maxTokens: 16, workingDirectory: directory.url.path)
  }

  /// Gone, or a zombie nobody has reaped yet (`/proc/PID/stat` state Z).
  static func isGone(_ pid: pid_t) -> Bool {
    if kill(pid, 0) != 0 { return errno == ESRCH }
    let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
    guard let name = stat.lastIndex(of: ")") else { return true }
    return stat[stat.index(after: name)...].drop { $0 == " " }.first == "Z"
  }

  /// Waits up to 5 s for `pids` to be gone.
  static func allGone(_ pids: [pid_t]) -> Bool {
    let deadline = Date(timeIntervalSinceNow: 5)
    while !pids.allSatisfy(isGone), Date() < deadline { usleep(20_000) }
    return pids.allSatisfy(isGone)
  }

  static func pid(_ name: String, in directory: URL) throws -> pid_t {
    let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    return try #require(pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)))
  }

  @Test("close() returns though a background child holds the command's pipes, and that child is gone")
  func backgroundChild() throws {
    let directory = try TemporaryDirectory()
    let pipeline = try Self.pipeline(in: directory)
    var rng = Philox(seed: 0)
    let scores = try pipeline.score(additionSamples(["82", "83"]), progress: 0, rng: &rng)
    #expect(scores.terms["command"] == [1, 1])
    let pids = [try Self.pid("command.pid", in: directory.url), try Self.pid("grandchild.pid", in: directory.url)]
    #expect(!pids.contains(where: Self.isGone))
    pipeline.close()
    #expect(Self.allGone(pids))
  }

  @Test("porecipe killed mid-run (SIGTERM, SIGINT, SIGKILL) leaves no command process", arguments: [SIGTERM, SIGINT, SIGKILL])
  func killed(signal: Int32) async throws {
    let result = try await #require(processExitsWith: .signal(signal), observing: [\.standardOutputContent]) { [signal] in
      // A new process, standing in for porecipe: it starts the command, scores a batch,
      // reports where the pids are and is killed with `signal`.
      let directory = try TemporaryDirectory()
      let pipeline = try CommandGroupTests.pipeline(in: directory)
      var rng = Philox(seed: 0)
      _ = try pipeline.score(additionSamples(["82"]), progress: 0, rng: &rng)
      print(directory.url.path)
      fflush(nil)
      kill(getpid(), signal)
      pause()
    }
    let directory = URL(fileURLWithPath: String(decoding: result.standardOutputContent, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines))
    defer { try? FileManager.default.removeItem(at: directory) }
    let pids = [try Self.pid("command.pid", in: directory), try Self.pid("grandchild.pid", in: directory)]
    #expect(Self.allGone(pids))
  }
}
#endif
