import Core
import Graph
import Optim

/// What can go wrong in the runtime layer: environments fed bad actions, policies built with
/// impossible shapes, and the errors of the layers below, wrapped.
public enum RuntimeError: Error, Equatable, CustomStringConvertible {
  /// The actions tensor passed to `step(actions:into:)` has the wrong dtype or shape.
  case actionShape(environment: String, expected: String, got: String)
  /// A discrete action outside `0..<count`, or a non-finite continuous action.
  case invalidAction(environment: String, env: Int, value: String)
  /// A step buffer made for another number of environments or observation size.
  case bufferShape(environment: String, expected: String, got: String)
  /// A snapshot made by another task or for another number of envs, or inconsistent.
  case snapshotMismatch(environment: String, reason: String)
  /// A policy configuration that cannot be built (empty layers, mismatched head).
  case invalidPolicy(reason: String)
  /// A training run that cannot be set up (minibatches that do not divide the rollout, …).
  case invalidConfiguration(reason: String)
  /// A checkpoint that cannot be read or belongs to another run.
  case invalidCheckpoint(reason: String)
  /// Token batches or prompts that do not fit a transformer program or sampler.
  case invalidTokens(reason: String)
  /// A NaN or ∞ during training: the iteration (1-based), the term that went bad and its value.
  case nonFinite(iteration: Int, term: String, value: String)
  /// A token task that cannot be built (bad parameters, a character outside the vocabulary, a
  /// prompt that does not fit the context).
  case invalidTask(reason: String)
  /// A broken line of a task file (JSONL): the path, the 1-based line and what is wrong.
  case taskFile(path: String, line: Int, reason: String)
  /// A reward stage that cannot be built or restored (a bad pattern, a term that cannot apply).
  case invalidReward(reason: String)
  /// The external reward command failed: it crashed, hung, or printed something that is not
  /// the protocol; `command` is its argv joined by spaces, `reason` quotes what it printed.
  case rewardCommand(command: String, reason: String)
  /// A graph error while building or running a policy.
  case graph(GraphError)
  /// An initializer error while creating parameters.
  case optim(OptimError)
  /// A sampling error (NaN logits).
  case core(CoreError)

  public var description: String {
    switch self {
    case let .actionShape(environment, expected, got):
      "\(environment): actions must be \(expected), got \(got)"
    case let .invalidAction(environment, env, value):
      "\(environment): invalid action \(value) for environment \(env)"
    case let .bufferShape(environment, expected, got):
      "\(environment): step buffers must be \(expected), got \(got)"
    case let .snapshotMismatch(environment, reason):
      "\(environment): cannot restore the snapshot: \(reason)"
    case let .invalidPolicy(reason):
      "invalid policy: \(reason)"
    case let .invalidConfiguration(reason):
      "invalid training configuration: \(reason)"
    case let .invalidCheckpoint(reason):
      "cannot resume: \(reason)"
    case let .invalidTokens(reason):
      "invalid tokens: \(reason)"
    case let .nonFinite(iteration, term, value):
      "iteration \(iteration): \(term) is not finite (\(value))"
    case let .invalidTask(reason):
      "invalid task: \(reason)"
    case let .taskFile(path, line, reason):
      "\(path):\(line): \(reason)"
    case let .invalidReward(reason):
      "invalid reward: \(reason)"
    case let .rewardCommand(command, reason):
      "reward command '\(command)' \(reason)"
    case let .graph(error): "\(error)"
    case let .optim(error): "\(error)"
    case let .core(error): "\(error)"
    }
  }
}
