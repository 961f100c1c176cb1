import Core

/// N copies of one task stepped together, each resetting itself when its episode ends.
///
/// Conformers are classes: they own the simulator state, one random generator per env and
/// the episode statistics. A step allocates nothing; it writes into a `VectorStep` the caller
/// made once.
///
///     let env = CartPoleEnvironment(count: 64, seed: 1)
///     var step = VectorStep(for: env)
///     env.reset(into: &step)
///     try env.step(actions: actions, into: &step)     // actions: int32 [64]
public protocol VectorEnvironment: AnyObject {
  /// Gymnasium's id of the task, e.g. `CartPole-v1`.
  var id: String { get }
  /// Number of environments N.
  var count: Int { get }
  /// Floats per observation.
  var observationSize: Int { get }
  /// The observation space's bounds, as Gymnasium declares them.
  var observationBounds: (low: [Float], high: [Float]) { get }
  /// What `step(actions:into:)` accepts.
  var actionSpace: ActionSpace { get }
  /// The time limit: an episode is truncated after this many steps.
  var maxEpisodeSteps: Int { get }
  /// Finished episodes' returns and lengths, for the trainer's `episode_return_mean`.
  var episodes: EpisodeStatistics { get }

  /// Starts a new episode in every env and writes the first observations (into both
  /// observation buffers; rewards and flags are cleared). Episode statistics are kept.
  func reset(into step: inout VectorStep) throws(RuntimeError)

  /// Applies one action per env, writes rewards, flags and observations, and resets the envs
  /// whose episode ended (see `VectorStep` for which observation goes where).
  ///
  /// - Parameter actions: int32 `[N]` for a discrete space, float32 `[N, d]` for a box.
  /// - Throws: `RuntimeError.actionShape` or `.invalidAction` before any env moves;
  ///   `.bufferShape` for buffers of another size.
  func step(actions: Tensor, into step: inout VectorStep) throws(RuntimeError)

  /// The environment's complete state, for checkpoints.
  func snapshot() -> EnvironmentSnapshot

  /// Continues from a snapshot of an environment of the same task and size.
  func restore(_ snapshot: EnvironmentSnapshot) throws(RuntimeError)
}
