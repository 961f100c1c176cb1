import Core
import Foundation
import Recipe
import Runtime

/// The policy of a run's latest checkpoint as `porecipe sample` draws from it, with the task
/// whose problems and verifier `--split` uses and the run's sampling settings.
///
/// A token run's checkpoint is restored into its trainer (so one of another recipe is
/// refused). A preference run's policy comes from its checkpoint with the settings the
/// checkpoint records; its task is `task.preference.from`'s (offline pairs) or the token task
/// itself (online pairs), and a run on a data file (`task.preference_jsonl`) has none: its
/// prompts are completed up to `rollout.max_tokens` within the policy's context.
struct SampledPolicy {
  /// The line that names the checkpoint: `checkpoint after iteration 4 of grpo`.
  var header: String
  var parameters: TransformerParameters
  /// The task of `--split` problems and their verifier; nil for a preference data file.
  var task: (any TokenTask)?
  /// The run's sampling settings (temperature, top-k, top-p; not greedy).
  var sampling: TokenSampler.Settings
  var temperature: Double
  /// Completes the task's prompts; nil without a task.
  private var evaluator: TaskEvaluator?
  /// The longest completion without a task (`rollout.max_tokens`).
  private var maxTokens: Int

  /// The latest checkpoint of the run directory `directory`, whose recipe is `resolved`.
  init(_ resolved: ResolvedRecipe, directory: String) throws {
    let root = URL(fileURLWithPath: directory)
    if PreferenceRunSetup.isPreference(resolved) {
      let latest = try RunRecorder.latestCheckpoint(in: root)
      let checkpoint = try PreferenceTrainerCheckpoint.read(from: latest)
      let c = checkpoint.state.configuration
      task = try PreferenceRunSetup.task(resolved)
      let expected = task?.name ?? "preference_jsonl"
      guard checkpoint.state.task == expected else {
        throw RunRecorder.Failure(description: "\(latest.path) is a checkpoint of a run on '\(checkpoint.state.task)', the run's recipe trains on '\(expected)'")
      }
      let named = Dictionary(checkpoint.parameters.map { ($0.name, $0.tensor) }, uniquingKeysWith: { first, _ in first })
      parameters = try TransformerParameters(c.policy, named: named)
      evaluator = try task.map { task throws(RuntimeError) in
        try TaskEvaluator(task: task, policy: c.policy, rows: min(256, max(task.heldOut.count, 1)), maxTokens: c.maxTokens)
      }
      // NOTE: the preference trainer samples at rollout.temperature alone (no top-k or top-p).
      sampling = TokenSampler.Settings(temperature: Float(c.temperature))
      (temperature, maxTokens) = (c.temperature, c.maxTokens)
      header = "checkpoint after step \(checkpoint.state.iteration) of \(resolved.name)\n"
    } else if TokenRunSetup.isTokenTask(resolved) {
      let setup = try TokenRunSetup(resolved)
      let checkpoint = try TokenTrainerCheckpoint.read(from: try RunRecorder.latestCheckpoint(in: root))
      // Sampling scores with the task's verifier alone, so a reward command is not started: it
      // runs in the recipe's directory, which the run directory does not record.
      let rewards = setup.rewards.filter { if case .command = $0 { false } else { true } }
      let trainer = try TokenTrainer(task: setup.task, rewards: rewards, recipe: setup.objective, configuration: setup.configuration)
      defer { trainer.rewards.close() }
      try trainer.restore(checkpoint)
      let c = setup.configuration
      (task, parameters, evaluator) = (setup.task, trainer.parameters, trainer.evaluator)
      sampling = TokenSampler.Settings(temperature: Float(c.temperature), topK: c.topK, topP: Float(c.topP), greedy: false)
      (temperature, maxTokens) = (c.temperature, c.maxTokens)
      header = "checkpoint after iteration \(checkpoint.state.iteration) of \(resolved.name)\n"
    } else {
      let name = resolved.blocks(in: .task).first?.decl.name ?? "none"
      throw RunRecorder.Failure(description: "\(directory) is a run on the environment task '\(name)'; 'sample' reads runs on token tasks and preference runs")
    }
  }

  /// Answers to `problems`, `rng` nil for greedy ones: the evaluator's for a task, else
  /// completions of the prompts by a sampler sized to them.
  func completions(for problems: [TaskProblem], settings: TokenSampler.Settings, rng: Philox?) throws -> [String] {
    if let evaluator { return try evaluator.completions(parameters, for: problems, settings: settings, rng: rng) }
    var prompts: [[Int32]] = []
    for problem in problems { prompts.append(try TaskEvaluator.promptTokens(problem)) }
    let longest = prompts.map(\.count).max() ?? 1, context = parameters.configuration.context
    guard longest < context else {
      throw RunRecorder.Failure(description: "the prompt takes \(longest) tokens with BOS, leaving no room for an answer in the policy's context (\(context))")
    }
    let sampler = try TokenSampler(parameters.configuration, rows: max(prompts.count, 1), maxPromptLength: longest,
                                   maxNewTokens: min(maxTokens, context - longest))
    var rng = rng ?? Philox(seed: 0)
    return try sampler.sample(parameters, prompts: prompts, settings: settings, stop: TokenVocabulary.eos, rng: &rng).map { TokenVocabulary.decode($0) }
  }
}
