import Core
import Foundation
import Optim

/// The supervised stage before RL (`policy.warm_start.sft`): next-token cross-entropy on the
/// task's known solutions, checked every `checkEvery` steps by greedy answers on a fixed
/// validation slice of the train split, stopped as soon as that accuracy reaches
/// `untilAccuracy` (or after `maxSteps`). A fixed step count lands anywhere from 25% to 92%
/// depending on the seed; stopping on accuracy makes RL start from the same place.
///
/// The cross-entropy's gradient is the transformer's VJP seeded with −mask / (real tokens):
/// the same program the RL update uses.
public struct WarmStart {
  public let configuration: WarmStartConfiguration
  /// What the stage ended with.
  public struct Result: Sendable, Codable, Equatable {
    public var steps: Int
    /// Greedy accuracy on the validation slice when it stopped.
    public var validationAccuracy: Double
  }

  public init(_ configuration: WarmStartConfiguration) { self.configuration = configuration }

  /// Trains `parameters` in place; `rng` draws the problems and their solutions.
  public func train(_ parameters: inout TransformerParameters, task: any TokenTask, promptLength: Int, responseLength: Int,
                    rng: inout Philox, evaluator: TaskEvaluator) throws(RuntimeError) -> Result {
    let c = configuration
    let program = try TransformerProgram(parameters.configuration, rows: c.batch, promptLength: promptLength, responseLength: responseLength)
    var optimizer: Adam
    do { optimizer = try Adam(learningRate: Float(c.learningRate)) } catch { throw .optim(error) }
    var validationRNG = rng.fork(stream: 7)
    let validation = (0..<c.validation).map { _ in task.trainingProblem(rng: &validationRNG) }
    var accuracy = try evaluator.accuracy(parameters, on: validation)
    var steps = 0
    while accuracy < c.untilAccuracy && steps < c.maxSteps {
      var batch = TokenRows(rows: c.batch, promptLength: promptLength, responseLength: responseLength)
      var seed = [Float](repeating: 0, count: c.batch * responseLength)
      var tokens = 0
      for row in 0..<c.batch {
        let problem = task.trainingProblem(rng: &rng)
        guard let solution = task.solution(for: problem, rng: &rng) else {
          throw .invalidConfiguration(reason: "policy.warm_start.sft needs solutions, and the task '\(task.name)' knows none for \(problem.prompt)")
        }
        let response = try TokenVocabulary.encode(solution) + [TokenVocabulary.eos]
        guard response.count <= responseLength else {
          throw .invalidConfiguration(reason: "a solution of \(task.name) takes \(response.count) tokens with EOS; rollout.max_tokens is \(responseLength)")
        }
        batch.set(row: row, prompt: try TaskEvaluator.promptTokens(problem), response: response)
        for t in 0..<response.count { seed[row * responseLength + t] = 1 }
        tokens += response.count
      }
      let scale = -1 / Float(max(tokens, 1))
      let gradLogp = Tensor(shape: [c.batch, responseLength], scalars: seed.map { $0 * scale })
      var (_, gradients) = try program.gradient(parameters, batch, gradLogp: gradLogp, gradValue: nil)
      do {
        _ = try GradientClipping.clipGlobalNorm(&gradients, maxNorm: 1)
        try optimizer.step(parameters: &parameters.tensors, gradients: gradients)
      } catch { throw .optim(error) }
      steps += 1
      if steps % c.checkEvery == 0 || steps == c.maxSteps { accuracy = try evaluator.accuracy(parameters, on: validation) }
    }
    return Result(steps: steps, validationAccuracy: accuracy)
  }
}

/// Greedy answers on a list of problems, verified by the task: held-out accuracy, the warm
/// start's validation, and `porecipe sample`.
public final class TaskEvaluator {
  public let task: any TokenTask
  private let sampler: TokenSampler
  private let rows: Int

  public init(task: any TokenTask, policy: TransformerConfiguration, rows: Int, maxTokens: Int) throws(RuntimeError) {
    self.task = task
    self.rows = rows
    sampler = try TokenSampler(policy, rows: rows, maxPromptLength: task.maxPromptLength + 1, maxNewTokens: maxTokens)
  }

  /// BOS and the prompt's characters.
  public static func promptTokens(_ problem: TaskProblem) throws(RuntimeError) -> [Int32] {
    [TokenVocabulary.bos] + (try TokenVocabulary.encode(problem.prompt))
  }

  /// The share of `problems` whose greedy answer the task accepts.
  public func accuracy(_ parameters: TransformerParameters, on problems: [TaskProblem]) throws(RuntimeError) -> Double {
    guard !problems.isEmpty else { return 0 }
    let answers = try completions(parameters, for: problems, settings: TokenSampler.Settings(greedy: true), rng: nil)
    let correct = zip(problems, answers).filter { task.score($0.1, for: $0.0).correct }.count
    return Double(correct) / Double(problems.count)
  }

  /// Decoded completions, `rows` prompts at a time.
  public func completions(_ parameters: TransformerParameters, for problems: [TaskProblem], settings: TokenSampler.Settings,
                          rng: Philox?) throws(RuntimeError) -> [String] {
    var rng = rng ?? Philox(seed: 0)
    var answers: [String] = []
    answers.reserveCapacity(problems.count)
    var start = 0
    while start < problems.count {
      let chunk = problems[start..<min(start + rows, problems.count)]
      var prompts: [[Int32]] = []
      for problem in chunk { prompts.append(try Self.promptTokens(problem)) }
      let responses = try sampler.sample(parameters, prompts: prompts, settings: settings, stop: TokenVocabulary.eos, rng: &rng)
      answers += responses.map { TokenVocabulary.decode($0) }
      start += rows
    }
    return answers
  }
}
