import Blocks
import Core
import Foundation
import Graph
import Optim

/// One loop for preference recipes on token policies:
///
///     warm start (cached, shared with the policy-gradient recipes on the same task)
///       → data: offline pairs sampled once from the warm start (`task.preference`), the
///         pairs of a data file (`task.preference_jsonl`), or online pairs from each
///         iteration's group rollouts of the current policy
///       → per minibatch: sequence log-probs of the policy and of the frozen reference (the
///         warm start), the compiled preference loss (`PreferenceObjective`), its gradient
///         seeded into the transformer's backward pass, an Adam step
///       → metrics; held-out accuracy of greedy answers every `evalEvery` steps and at the end
///
/// One seed: the root `Philox(seed:)` is forked into stream 0 (initialization), 1 (problems),
/// 2 (sampling), 3 (shuffling and pairing) and 5 (the warm start, as `TokenTrainer`).
public final class PreferenceTrainer {
  public let configuration: PreferenceTrainerConfiguration
  /// The task whose verifier scores answers; nil for a data file.
  public let task: (any TokenTask)?
  public let objective: PreferenceObjective
  public internal(set) var parameters: TransformerParameters
  public internal(set) var reference: TransformerParameters
  /// Optimizer steps done, and the steps the run makes.
  public internal(set) var iteration = 0
  public internal(set) var totalIterations = 0
  /// Training and held-out examples (offline sources; built by `prepare`).
  public internal(set) var examples: [PreferenceExample] = []
  public internal(set) var heldOutExamples: [PreferenceExample] = []
  /// Prompts whose answers gave no pair when the offline dataset was built.
  public internal(set) var skippedPrompts = 0
  public internal(set) var warmStart: WarmStart.Result?
  public internal(set) var warmStartEvalAccuracy: Double?
  /// The implicit reward's accuracy and the margin on the held-out examples before training.
  public internal(set) var warmStartHeldOut: (accuracy: Double, margin: Double)?
  public let promptLength: Int, responseLength: Int

  var optimizer: any Optimizer
  var problemRNG: Philox, samplingRNG: Philox, shuffleRNG: Philox
  let warmStartRNG: Philox
  let evaluator: TaskEvaluator?
  var sampler: TokenSampler?
  var programs: [Int: TransformerProgram] = [:]
  /// The intermediate values of every program in `programs` (they run one at a time).
  let workspace = Workspace()
  var order: [Int] = []

  /// - Parameter task: the verifier's task (offline from a task, or online); nil for a file.
  public init(task: (any TokenTask)?, loss: PreferenceLoss, configuration: PreferenceTrainerConfiguration) throws(RuntimeError) {
    try configuration.validate()
    self.configuration = configuration
    self.task = task
    objective = PreferenceObjective(loss: loss)
    let c = configuration
    if let task {
      try task.checkFits(context: c.policy.context, maxTokens: c.maxTokens)
      promptLength = task.maxPromptLength + 1
      responseLength = c.maxTokens
      evaluator = try TaskEvaluator(task: task, policy: c.policy, rows: min(256, max(task.heldOut.count, 1)), maxTokens: c.maxTokens)
    } else if case .file(let data) = c.source {
      let lines = try Self.examples(from: data, format: loss.format)
      promptLength = lines.map(\.prompt.count).max() ?? 1
      responseLength = lines.flatMap { $0.responses.map(\.count) }.max() ?? 1
      evaluator = nil
      guard promptLength + responseLength <= c.policy.context else {
        throw .invalidConfiguration(reason: "\(data.path): the longest prompt (\(promptLength) tokens with BOS) plus the longest response (\(responseLength) with EOS) exceed policy.transformer.context (\(c.policy.context))")
      }
    } else {
      throw .invalidConfiguration(reason: "a preference run built from a task needs that task")
    }
    if case .file = c.source, loss.format == .lists {
      throw .invalidConfiguration(reason: "listwise losses need ranked lists; a preference_jsonl file holds pairs")
    }
    let root = Philox(seed: c.seed)
    var initRNG = root.fork(stream: 0)
    problemRNG = root.fork(stream: 1)
    samplingRNG = root.fork(stream: 2)
    shuffleRNG = root.fork(stream: 3)
    warmStartRNG = root.fork(stream: 5)
    parameters = TransformerParameters.initialized(c.policy, rng: &initRNG)
    reference = parameters
    optimizer = try adamOptimizer(learningRate: c.learningRate, betas: (c.adamBeta1, c.adamBeta2), eps: c.adamEps,
                                  weightDecay: c.weightDecay)
    if case .online(_, _, _, let iterations) = c.source { totalIterations = iterations }
  }

  public var isFinished: Bool { iteration >= totalIterations }

  /// The canonical description of the warm start: `TokenTrainer`'s, so the cache is shared.
  public var warmStartDescription: String? {
    guard let warm = configuration.warmStart, let task else { return nil }
    return WarmStartCache.description(task: task, policy: configuration.policy, warmStart: warm, promptLength: promptLength,
                                      responseLength: responseLength, seed: configuration.seed)
  }

  /// Runs (or loads) the warm start, freezes it as the reference, measures its held-out
  /// accuracy, and builds the offline dataset (sampled from the warm start, or the file's
  /// records) with its held-out share. Afterwards `totalIterations` is known.
  public func prepare(cache: WarmStartCache?) throws(RuntimeError) {
    let c = configuration
    if let warm = c.warmStart, let task, let description = warmStartDescription {
      let key = WarmStartCache.key(description)
      if let cache, let (cached, result) = cache.load(key, configuration: c.policy) {
        parameters = cached
        warmStart = result
      } else if let evaluator {
        var rng = warmStartRNG
        let length = min(task.maxSolutionLength + 1, responseLength)
        let result = try WarmStart(warm).train(&parameters, task: task, promptLength: promptLength, responseLength: length,
                                               rng: &rng, evaluator: evaluator)
        warmStart = result
        cache?.store(key, parameters: parameters, result: result)
      }
    }
    reference = parameters
    if let task, let evaluator { warmStartEvalAccuracy = try evaluator.accuracy(parameters, on: task.heldOut) }
    var all: [PreferenceExample]
    switch c.source {
    case .online: return
    case .file(let data): all = try Self.examples(from: data, format: objective.loss.format)
    case .offline(let units, let samples, let pairing): all = try buildDataset(units: units, samples: samples, pairing: pairing)
    }
    // Shuffle once, then hold out a share (at least one example when there are ten or more).
    var permutation = Array(all.indices)
    for i in stride(from: permutation.count - 1, to: 0, by: -1) { permutation.swapAt(i, shuffleRNG.integer(below: i + 1)) }
    all = permutation.map { all[$0] }
    let held = all.count >= 10 ? max(1, Int(Double(all.count) * c.heldOutShare)) : 0
    heldOutExamples = Array(all.prefix(held))
    examples = Array(all.dropFirst(held))
    guard examples.count >= c.minibatches else {
      throw .invalidConfiguration(reason: "the preference data holds \(examples.count) training examples, fewer than train.minibatches (\(c.minibatches))")
    }
    totalIterations = c.iterations
    warmStartHeldOut = try heldOutRanking(heldOutExamples)
  }

  /// Held-out accuracy of greedy answers now (nil without a task).
  public func evaluateHeldOut() throws(RuntimeError) -> Double? {
    guard let task, let evaluator else { return nil }
    return try evaluator.accuracy(parameters, on: task.heldOut)
  }

  /// The transformer program for `rows` sequences (rounded up to a multiple of 8) of
  /// responses up to `tokens` tokens.
  func program(rows: Int, tokens: Int) throws(RuntimeError) -> TransformerProgram {
    let key = rows * 10_000 + tokens
    if let program = programs[key] { return program }
    let program = try TransformerProgram(configuration.policy, rows: rows, promptLength: promptLength, responseLength: tokens,
                                         workspace: workspace)
    programs[key] = program
    return program
  }

  /// The records of a data file as examples (pairs, or KTO's labelled completions).
  static func examples(from data: PreferenceDataset, format: PreferenceFormat) throws(RuntimeError) -> [PreferenceExample] {
    func tokens(_ text: String, line: Int, what: String) throws(RuntimeError) -> [Int32] {
      do { return try TokenVocabulary.encode(text) } catch {
        throw .invalidConfiguration(reason: "\(data.path):\(line): the \(what) has characters outside the token vocabulary: \(error)")
      }
    }
    switch (data.records, format) {
    case (.pairs(let pairs), .pairs):
      var out: [PreferenceExample] = []
      for pair in pairs {
        out.append(.pair(prompt: [TokenVocabulary.bos] + (try tokens(pair.prompt, line: pair.line, what: "prompt")),
                         chosen: try tokens(pair.chosen, line: pair.line, what: "chosen response") + [TokenVocabulary.eos],
                         rejected: try tokens(pair.rejected, line: pair.line, what: "rejected response") + [TokenVocabulary.eos]))
      }
      return out
    case (.labelled(let items), .unpaired):
      var out: [PreferenceExample] = []
      for item in items {
        out.append(PreferenceExample(prompt: [TokenVocabulary.bos] + (try tokens(item.prompt, line: item.line, what: "prompt")),
                                     responses: [try tokens(item.completion, line: item.line, what: "completion") + [TokenVocabulary.eos]],
                                     scores: [item.isDesirable ? 1 : 0], desirable: item.isDesirable))
      }
      return out
    case (.pairs(let pairs), .unpaired):
      // KTO on pairs: the chosen response desirable, the rejected one undesirable (TRL's conversion).
      var out: [PreferenceExample] = []
      for pair in pairs {
        let prompt = [TokenVocabulary.bos] + (try tokens(pair.prompt, line: pair.line, what: "prompt"))
        out.append(PreferenceExample(prompt: prompt, responses: [try tokens(pair.chosen, line: pair.line, what: "chosen response") + [TokenVocabulary.eos]],
                                     scores: [1], desirable: true))
        out.append(PreferenceExample(prompt: prompt, responses: [try tokens(pair.rejected, line: pair.line, what: "rejected response") + [TokenVocabulary.eos]],
                                     scores: [0], desirable: false))
      }
      return out
    case (_, .lists):
      throw .invalidConfiguration(reason: "internal error: a listwise loss on a preference file passed the check (please report)")
    default:
      throw .invalidConfiguration(reason: "\(data.path) holds labelled completions ({prompt, completion, label}); only kto trains on them, the recipe's loss needs pairs")
    }
  }
}
