import Core

/// Everything that decides a classic-control vector environment's future, for checkpoints:
/// restoring it into a fresh environment of the same task and size continues exactly as the
/// original would (same states, draws, time limits and statistics).
public struct EnvironmentSnapshot: Sendable, Equatable, Codable {
  /// The task's Gymnasium id.
  public var id: String
  /// Number of environments.
  public var count: Int
  /// The structure-of-arrays state, `4 · count` doubles (component-major).
  public var state: [Double]
  /// Each env's random generator position.
  public var generators: [Philox.State]
  /// Steps taken in each env's current episode.
  public var elapsed: [Int]
  public var episodes: EpisodeStatistics
}

extension ClassicControlEnvironment {
  /// The environment's complete state.
  public func snapshot() -> EnvironmentSnapshot {
    EnvironmentSnapshot(id: Task.id, count: count, state: Array(UnsafeBufferPointer(start: state, count: 4 * count)),
                        generators: generators.map(\.state), elapsed: elapsed, episodes: episodes)
  }

  /// Continues from `snapshot`; the current step buffers' observations are not touched
  /// (the trainer saves them with the rollout).
  ///
  /// - Throws: `RuntimeError.snapshotMismatch` for another task, another count or
  ///   inconsistent arrays; nothing is changed then.
  public func restore(_ snapshot: EnvironmentSnapshot) throws(RuntimeError) {
    guard snapshot.id == Task.id else {
      throw .snapshotMismatch(environment: Task.id, reason: "it was made by \(snapshot.id)")
    }
    guard snapshot.count == count, snapshot.state.count == 4 * count, snapshot.generators.count == count,
          snapshot.elapsed.count == count, snapshot.episodes.count == count else {
      throw .snapshotMismatch(environment: Task.id, reason: "it holds \(snapshot.count) envs, this environment \(count)")
    }
    guard snapshot.elapsed.allSatisfy({ (0..<Task.maxEpisodeSteps).contains($0) }) else {
      throw .snapshotMismatch(environment: Task.id, reason: "episode step counts must be in 0..<\(Task.maxEpisodeSteps)")
    }
    state.update(from: snapshot.state, count: 4 * count)
    generators = snapshot.generators.map(Philox.init(state:))
    elapsed = snapshot.elapsed
    episodes = snapshot.episodes
  }
}
