import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An external reward command (`reward.command`), started once and kept running across
/// batches; it speaks JSON lines (DESIGN.md "External rewards"):
///
///     porecipe → stdin:   {"answer": "82" | null, "completion": "82", "id": 7, "prompt": "37+45="}
///     stdout → porecipe:  {"id": 7, "reward": 1.0}
///
/// Ids increase across batches; answers may come in any order, each id exactly once, each
/// within `timeoutSeconds` of the previous answer (or of the batch's start). Blank lines are
/// ignored; lines on stderr are kept (the last few) to quote in errors. A crash, a timeout, a
/// line that is not such JSON, an unknown or repeated id, or a non-finite reward stops the
/// command and throws `RuntimeError.rewardCommand` naming its argv and quoting what it printed;
/// every later batch throws the same error.
///
/// The child runs with `PYTHONUNBUFFERED=1` so a Python script's prints reach us without an
/// explicit flush, in a process group of its own (`CommandGroup`): `close()` closes its stdin,
/// waits a second, then ends the whole group (SIGTERM, then SIGKILL), so a background child it
/// left holding the pipes neither survives nor keeps porecipe waiting; and the group is ended
/// when porecipe dies in any way. A well-behaved command exits when its stdin ends.
final class RewardCommandProcess {
  let argv: [String]
  let timeoutSeconds: Double
  private let process: CommandGroup
  private let input: FileHandle
  private let output: LineReader
  private let errors: LineReader
  private let writer = DispatchQueue(label: "porecipe.reward-command.stdin")
  private var nextID = 0
  private var failure: RuntimeError?
  private var isClosed = false

  private var commandLine: String { argv.joined(separator: " ") }

  init(argv: [String], timeoutSeconds: Double, workingDirectory: String?) throws(RuntimeError) {
    self.argv = argv
    self.timeoutSeconds = timeoutSeconds
    let command = argv.joined(separator: " ")
    guard let program = argv.first else { throw .rewardCommand(command: command, reason: "is empty") }
    let directory = URL(fileURLWithPath: workingDirectory ?? FileManager.default.currentDirectoryPath)
    guard let executable = RewardCommandProcess.resolve(program, in: directory) else {
      throw .rewardCommand(command: command, reason: program.contains("/")
        ? "cannot start: \(program) is not an executable file"
        : "cannot start: \(program) is not found on PATH")
    }
    // NOTE: writing to a pipe whose reader has exited raises SIGPIPE, which would kill porecipe
    // itself; ignored, the write fails with EPIPE and the crash is reported from the exit status.
    signal(SIGPIPE, SIG_IGN)
    var environment = ProcessInfo.processInfo.environment
    environment["PYTHONUNBUFFERED"] = "1"
    do {
      process = try CommandGroup(executable: executable.path, arguments: Array(argv.dropFirst()), directory: directory.path,
                                 environment: environment)
    } catch {
      throw .rewardCommand(command: command, reason: "cannot start: \(error)")
    }
    input = process.input
    output = LineReader(process.output)
    errors = LineReader(process.errors)
    // NOTE: a command that dies at once (a missing script, a syntax error) is reported here,
    // before the run starts, rather than at the first batch; one that lives longer than this
    // is reported when it fails to answer. The wait changes when, never whether, it fails.
    if waitForExit(seconds: 0.5) {
      throw fail("\(exitDescription()) at start, before any request" + recentOutput())
    }
  }

  deinit { close() }

  /// The rewards of `samples`, in order.
  func rewards(for samples: [RewardSample]) throws(RuntimeError) -> [Double] {
    if let failure { throw failure }
    guard !isClosed else { throw fail("was already stopped (RewardPipeline.close())") }
    do {
      return try exchange(samples)
    } catch {
      failure = error
      stop(grace: 0)
      throw error
    }
  }

  /// Closes the command's stdin, gives it a second to exit, then terminates it.
  func close() { stop(grace: 1) }

  /// Closes stdin, waits `grace` seconds, then ends the command's group (`CommandGroup.stop`).
  private func stop(grace: Double) {
    guard !isClosed else { return }
    isClosed = true
    process.stop(grace: grace)
  }

  // MARK: - The protocol

  private struct Request: Encodable {
    var id: Int
    var prompt: String
    var completion: String
    var answer: String?

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(id, forKey: .id)
      try container.encode(prompt, forKey: .prompt)
      try container.encode(completion, forKey: .completion)
      try container.encode(answer, forKey: .answer)  // null when there is none
    }

    enum CodingKeys: String, CodingKey { case id, prompt, completion, answer }
  }

  private struct Answer: Decodable {
    var id: Int
    var reward: Double
  }

  private func exchange(_ samples: [RewardSample]) throws(RuntimeError) -> [Double] {
    guard !samples.isEmpty else { return [] }
    let first = nextID
    nextID += samples.count
    var lines = Data()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for (offset, sample) in samples.enumerated() {
      let request = Request(id: first + offset, prompt: sample.problem.prompt, completion: sample.completion,
                            answer: sample.problem.answer)
      guard let line = try? encoder.encode(request) else { throw fail("cannot encode request \(first + offset)") }
      lines.append(line)
      lines.append(0x0A)
    }
    // NOTE: written from another thread so a command that stops reading cannot block us past
    // the timeout (a batch can exceed the pipe's 64 KiB buffer).
    writer.async { [input, lines] in try? input.write(contentsOf: lines) }

    var rewards = [Double?](repeating: nil, count: samples.count)
    var unanswered = samples.count
    while unanswered > 0 {
      switch output.nextLine(timeout: timeoutSeconds) {
      case let .line(text):
        if text.allSatisfy(\.isWhitespace) { continue }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(text.utf8)) else {
          throw fail("printed a line that is not {\"id\": N, \"reward\": x}: \(TokenVocabulary.quoted(text))")
        }
        let index = answer.id - first
        guard (0..<samples.count).contains(index) else {
          throw fail("answered id \(answer.id), which is not in this batch (ids \(first)…\(first + samples.count - 1))")
        }
        guard rewards[index] == nil else { throw fail("answered id \(answer.id) twice") }
        guard answer.reward.isFinite else { throw fail("gave id \(answer.id) a reward that is not finite") }
        rewards[index] = answer.reward
        unanswered -= 1
      case .timedOut:
        let missing = rewards.indices.filter { rewards[$0] == nil }.prefix(5).map { String(first + $0) }
        throw fail("did not answer within \(timeoutSeconds) s: \(unanswered) of \(samples.count) requests unanswered "
          + "(ids \(missing.joined(separator: ", "))\(unanswered > 5 ? ", …" : ""))"
          + recentOutput() + "\n  = note: print one line per request and flush it (python: print(..., flush=True))")
      case .closed:
        let status = waitForExit(seconds: 2) ? exitDescription() : "closed its output"
        throw fail("\(status) before answering \(unanswered) of \(samples.count) requests" + recentOutput())
      }
    }
    return rewards.map { $0 ?? 0 }
  }

  private func fail(_ reason: String) -> RuntimeError {
    .rewardCommand(command: commandLine, reason: reason)
  }

  private func exitDescription() -> String {
    switch process.termination {
    case .signaled(let signal): "was killed by signal \(signal)"
    case .exited(let status): "exited with status \(status)"
    case nil: "is still running"
    }
  }

  /// The last lines the command printed on stdout and stderr, indented, or that it printed nothing.
  private func recentOutput() -> String {
    if !process.isRunning {
      // the pipes reach end-of-file just after the exit; let the readers catch up
      _ = output.waitUntilClosed(timeout: 1)
      _ = errors.waitUntilClosed(timeout: 1)
    }
    let printed = output.recent.map { "\n  stdout: \(TokenVocabulary.quoted($0))" }
      + errors.recent.map { "\n  stderr: \($0.count > 200 ? String($0.prefix(197)) + "..." : $0)" }
    return printed.isEmpty ? "; it printed nothing" : "; its last output:" + printed.joined()
  }

  private func waitForExit(seconds: Double) -> Bool { process.waitForExit(seconds: seconds) }

  /// `program` as an executable file: a path (relative to `directory`) when it has a slash,
  /// else the first match on `PATH`.
  private static func resolve(_ program: String, in directory: URL) -> URL? {
    let files = FileManager.default
    if program.contains("/") {
      let url = program.hasPrefix("/") ? URL(fileURLWithPath: program) : directory.appendingPathComponent(program)
      return files.isExecutableFile(atPath: url.path) ? url : nil
    }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let url = URL(fileURLWithPath: String(folder)).appendingPathComponent(program)
      if files.isExecutableFile(atPath: url.path) { return url }
    }
    return nil
  }
}
