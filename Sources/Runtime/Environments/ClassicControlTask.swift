import Core

/// The physics of one classic-control task, one env at a time; `ClassicControlEnvironment`
/// runs N of them in structure-of-arrays and adds autoreset, time limits and statistics.
///
/// The state is at most four `Double`s (Gymnasium computes in float64); observations are
/// float32 as Gymnasium returns them.
public protocol ClassicControlTask: Sendable {
  /// The element type of an action batch: `Int32` for discrete tasks, `Float` for boxes.
  associatedtype Action: Sendable

  /// Gymnasium's id, e.g. `CartPole-v1`.
  static var id: String { get }
  /// Number of state components used (the rest of the `SIMD4` stays zero).
  static var stateSize: Int { get }
  /// Floats per observation.
  static var observationSize: Int { get }
  /// The observation space's bounds, as Gymnasium declares them (float32).
  static var observationBounds: (low: [Float], high: [Float]) { get }
  /// The action space, as Gymnasium declares it.
  static var actionSpace: ActionSpace { get }
  /// The `max_episode_steps` Gymnasium registers the task with.
  static var maxEpisodeSteps: Int { get }

  /// A state drawn from the task's initial-state distribution.
  static func initialState(rng: inout Philox) -> SIMD4<Double>

  /// Advances `state` by one step under the action row at `action`.
  /// - Returns: the reward and whether the new state is terminal.
  static func step(_ state: inout SIMD4<Double>, action: UnsafePointer<Action>) -> (reward: Double, isTerminal: Bool)

  /// Writes the observation of `state` (`observationSize` floats).
  static func observe(_ state: SIMD4<Double>, into observation: UnsafeMutablePointer<Float>)

  /// Whether an action row is one the task accepts (a discrete index in range, finite floats).
  static func isValid(_ action: UnsafePointer<Action>) -> Bool
}

extension ClassicControlTask where Action == Int32 {
  public static func isValid(_ action: UnsafePointer<Int32>) -> Bool {
    action.pointee >= 0 && Int(action.pointee) < actionSpace.width
  }
}

extension ClassicControlTask where Action == Float {
  public static func isValid(_ action: UnsafePointer<Float>) -> Bool {
    (0..<actionSpace.width).allSatisfy { action[$0].isFinite }
  }
}
