import Core
import Foundation
import Runtime
import Testing
import TestSupport

/// The external reward command, with small Python scripts written into a temporary directory.
@Suite struct RewardCommandTests {
  /// Answers requests two at a time in reverse order: 1 for a completion equal to the answer,
  /// 0.5 when there is no answer, else 0; logs each raw request line to requests.log.
  static let grader = """
    import json, sys
    log = open("requests.log", "a")
    held = None
    for line in sys.stdin:
        log.write(line); log.flush()
        request = json.loads(line)
        answer = request["answer"]
        reward = 0.5 if answer is None else (1.0 if request["completion"] == answer else 0.0)
        reply = json.dumps({"id": request["id"], "reward": reward})
        if held is None:
            held = reply
        else:
            print(reply); print(held); held = None
    """

  struct Fixture {
    let directory: TemporaryDirectory
    let pipeline: RewardPipeline

    init(_ script: String, timeout: Double = 10, weight: Double = 1) throws {
      directory = try TemporaryDirectory()
      _ = try directory.write("score.py", script)
      pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]),
                                    terms: [.command(weight: weight, argv: ["python3", "score.py"], timeoutSeconds: timeout)],
                                    maxTokens: 16, workingDirectory: directory.url.path)
    }

    /// The error of scoring `samples`, as text.
    func failure(_ samples: [RewardSample] = additionSamples(["82", "83"])) -> String {
      var rng = Philox(seed: 0)
      do {
        _ = try pipeline.score(samples, progress: 0, rng: &rng)
        return "no error"
      } catch {
        return "\(error)"
      }
    }
  }

  @Test("answers in any order reach the right samples; the command keeps running across batches")
  func protocolRoundTrip() throws {
    let fixture = try Fixture(Self.grader, weight: 2)
    var rng = Philox(seed: 0)
    let first = try fixture.pipeline.score(additionSamples(["82", "83", "1", "82"]), progress: 0, rng: &rng)
    #expect(first.terms["command"] == [2, 0, 0, 2])
    #expect(first.total == [2, 0, 0, 2])
    #expect(first.correct == [true, false, false, true])
    let unanswered = TaskProblem(prompt: "hi", answer: nil)
    let second = try fixture.pipeline.score(additionSamples(["82", "x"], problem: unanswered), progress: 0.5, rng: &rng)
    #expect(second.terms["command"] == [1, 1])
    let log = try String(contentsOf: fixture.directory.url.appendingPathComponent("requests.log"), encoding: .utf8)
    let lines = log.split(separator: "\n")
    // one process saw all six requests, with ids counting on across batches
    #expect(lines.count == 6)
    #expect(lines[0] == #"{"answer":"82","completion":"82","id":0,"prompt":"37+45="}"#)
    #expect(lines[5] == #"{"answer":null,"completion":"x","id":5,"prompt":"hi"}"#)
    fixture.pipeline.close()
    #expect(fixture.failure() == "reward command 'python3 score.py' was already stopped (RewardPipeline.close())")
  }

  @Test("a command that crashes: its exit status and last stderr lines are quoted")
  func crash() throws {
    let fixture = try Fixture("""
      import sys
      sys.stdin.readline()
      sys.stderr.write("Traceback (most recent call last):\\nValueError: boom\\n")
      sys.exit(3)
      """)
    let message = fixture.failure()
    #expect(message.hasPrefix("reward command 'python3 score.py' exited with status 3 before answering 2 of 2 requests"), "\(message)")
    #expect(message.contains("stderr: ValueError: boom"), "\(message)")
    // the error sticks: later batches fail the same way
    #expect(fixture.failure() == message)
  }

  @Test("a command that hangs times out, naming the unanswered ids")
  func hang() throws {
    let fixture = try Fixture("import sys, time\nsys.stdin.readline()\ntime.sleep(60)\n", timeout: 0.3)
    let message = fixture.failure()
    #expect(message.hasPrefix("reward command 'python3 score.py' did not answer within 0.3 s: 2 of 2 requests unanswered (ids 0, 1); it printed nothing"), "\(message)")
    #expect(message.contains("flush"))
    fixture.pipeline.close()
  }

  @Test("a line that is not the protocol's JSON is quoted", arguments: [
    ("print('hello world', flush=True)", "printed a line that is not {\"id\": N, \"reward\": x}: \"hello world\""),
    ("print('{\"id\": 0}', flush=True)", "printed a line that is not {\"id\": N, \"reward\": x}: \"{\\\"id\\\": 0}\""),
    ("print('{\"id\": 0, \"reward\": \"high\"}', flush=True)", "printed a line that is not"),
    ("print('{\"id\": 7, \"reward\": 1}', flush=True)", "answered id 7, which is not in this batch (ids 0…1)"),
    ("print('{\"id\": 0, \"reward\": 1}\\n{\"id\": 0, \"reward\": 1}', flush=True)", "answered id 0 twice"),
  ])
  func garbage(reply: String, message: String) throws {
    let fixture = try Fixture("import sys\nsys.stdin.readline()\n\(reply)\nimport time\ntime.sleep(60)\n", timeout: 5)
    let error = fixture.failure()
    #expect(error.hasPrefix("reward command 'python3 score.py' "), "\(error)")
    #expect(error.contains(message), "\(error)")
  }

  @Test("a command that answers some ids and exits names the missing count")
  func missing() throws {
    let fixture = try Fixture("import sys\nsys.stdin.readline()\nprint('{\"id\": 0, \"reward\": 1}')\n")
    let message = fixture.failure()
    #expect(message.contains("exited with status 0 before answering 1 of 2 requests"), "\(message)")
    #expect(message.contains("stdout: \"{\\\"id\\\": 0, \\\"reward\\\": 1}\""), "\(message)")
  }

  @Test("a command that cannot start is an error at setup")
  func cannotStart() throws {
    let task = try ArithmeticTask(digits: 2, operations: ["+"])
    #expect(throws: RuntimeError.rewardCommand(command: "porecipe-no-such-scorer --x",
                                               reason: "cannot start: porecipe-no-such-scorer is not found on PATH")) {
      try RewardPipeline(task: task, terms: [.command(weight: 1, argv: ["porecipe-no-such-scorer", "--x"], timeoutSeconds: 1)],
                         maxTokens: 16)
    }
    #expect(throws: RuntimeError.self) {
      try RewardPipeline(task: task, terms: [.command(weight: 1, argv: ["./missing.sh"], timeoutSeconds: 1)], maxTokens: 16)
    }
  }

  @Test("a command that dies at once names its exit status and quotes its stderr, at setup or at the first batch")
  func diesAtStart() throws {
    let directory = try TemporaryDirectory()
    var message = "no error"
    do {
      // NOTE: setup reports a command that exits within half a second; on a loaded machine
      // Python may take longer to fail, and then the first batch reports it. Both must say why.
      let pipeline = try RewardPipeline(task: ArithmeticTask(digits: 2, operations: ["+"]),
                                        terms: [.command(weight: 1, argv: ["python3", "missing.py"], timeoutSeconds: 5)],
                                        maxTokens: 16, workingDirectory: directory.url.path)
      var rng = Philox(seed: 0)
      _ = try pipeline.score(additionSamples(["82"]), progress: 0, rng: &rng)
    } catch {
      message = "\(error)"
    }
    #expect(message.hasPrefix("reward command 'python3 missing.py' exited with status 2 "), "\(message)")
    #expect(message.contains("stderr: ") && message.contains("missing.py"), "\(message)")
  }
}
