import Core

/// Preallocated results of one step of N environments, written in place by
/// `VectorEnvironment.step(actions:into:)`; make it once with `VectorStep(for:)`.
///
/// Environments reset themselves when an episode ends (autoreset). As Gymnasium 0.29's
/// `SyncVectorEnv`, `observations` then holds the **reset** observation — the one the policy
/// acts on next — and the observation the episode ended in is in `finalObservations` (Gymnasium
/// keeps it in `info["final_observation"]`). For an env whose episode goes on, both rows hold
/// the same values, so `finalObservations` always reads "where this step arrived", which is what
/// bootstrapping a truncated episode's value needs.
public struct VectorStep {
  /// `[N, observationSize]`: what each env shows the policy next (after any reset).
  public var observations: Tensor
  /// `[N, observationSize]`: where each env arrived, before any reset.
  public var finalObservations: Tensor
  /// `[N]`: this step's rewards, computed in float64 and rounded (episode returns sum the
  /// float64 values).
  public var rewards: [Float]
  /// `[N]`: the episode reached a terminal state (the task's termination condition).
  public var terminated: [Bool]
  /// `[N]`: the episode hit the time limit (Gymnasium's `TimeLimit`); can be set together
  /// with `terminated` when both happen on the last allowed step.
  public var truncated: [Bool]

  /// Zeroed buffers for `count` environments with observations of `observationSize` floats.
  public init(count: Int, observationSize: Int) {
    observations = Tensor(zeros: [count, observationSize])
    finalObservations = Tensor(zeros: [count, observationSize])
    rewards = [Float](repeating: 0, count: count)
    terminated = [Bool](repeating: false, count: count)
    truncated = [Bool](repeating: false, count: count)
  }

  /// Buffers sized for `environment`.
  public init(for environment: some VectorEnvironment) {
    self.init(count: environment.count, observationSize: environment.observationSize)
  }

  /// Number of environments the buffers hold.
  public var count: Int { rewards.count }

  /// Whether env `i`'s episode ended this step (terminated or truncated).
  public func isDone(_ i: Int) -> Bool { terminated[i] || truncated[i] }
}
