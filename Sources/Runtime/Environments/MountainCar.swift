import Core
import Foundation

/// A car in a valley too weak to drive straight up the right hill; it must rock back and
/// forth to build momentum (`MountainCar-v0`).
///
///     state        (position, velocity)                float64
///     observation  (position, velocity)                float32
///     action       0: accelerate left, 1: none, 2: right
///     velocity    += (action − 1)·0.001 − 0.0025·cos(3·position), clipped to ±0.07
///     position    += velocity, clipped to [−1.2, 0.6]; at −1.2 a negative velocity becomes 0
///     reward       −1 every step
///     terminated   position ≥ 0.5 and velocity ≥ 0
///     truncated    after 200 steps
///     start        position uniform in (−0.6, −0.4), velocity 0
///
/// - Paper: Moore 1990, "Efficient memory-based learning for robot control" (PhD thesis,
///   University of Cambridge); Sutton & Barto's textbook form.
/// - Matches: Gymnasium 0.29.1 `gymnasium/envs/classic_control/mountain_car.py`.
public enum MountainCar: ClassicControlTask {
  public typealias Action = Int32

  public static let id = "MountainCar-v0"
  public static let stateSize = 2
  public static let observationSize = 2
  public static let actionSpace = ActionSpace.discrete(count: 3)
  public static let maxEpisodeSteps = 200

  static let minPosition = -1.2, maxPosition = 0.6, maxSpeed = 0.07
  static let goalPosition = 0.5, goalVelocity = 0.0
  static let force = 0.001, gravity = 0.0025
  /// Position in [−1.2, 0.6], velocity in [−0.07, 0.07].
  public static let observationBounds: (low: [Float], high: [Float]) =
    ([Float(minPosition), Float(-maxSpeed)], [Float(maxPosition), Float(maxSpeed)])

  public static func initialState(rng: inout Philox) -> SIMD4<Double> {
    SIMD4(-0.6 + 0.2 * rng.uniformDouble(), 0, 0, 0)
  }

  @inline(__always)
  public static func step(_ state: inout SIMD4<Double>, action: UnsafePointer<Int32>) -> (reward: Double, isTerminal: Bool) {
    var (position, velocity) = (state[0], state[1])
    velocity += Double(action.pointee - 1) * force + cos(3 * position) * -gravity
    velocity = Swift.min(Swift.max(velocity, -maxSpeed), maxSpeed)
    position += velocity
    position = Swift.min(Swift.max(position, minPosition), maxPosition)
    if position == minPosition && velocity < 0 { velocity = 0 }
    state = SIMD4(position, velocity, 0, 0)
    return (-1, position >= goalPosition && velocity >= goalVelocity)
  }

  @inline(__always)
  public static func observe(_ state: SIMD4<Double>, into observation: UnsafeMutablePointer<Float>) {
    observation[0] = Float(state[0])
    observation[1] = Float(state[1])
  }
}
