import Core
import Foundation

/// Two links joined by an actuated joint, hanging from a fixed pivot; swing the free end above
/// a line one link length over the pivot (`Acrobot-v1`).
///
///     state        (θ₁, θ₂, θ̇₁, θ̇₂)                     float64
///     observation  (cos θ₁, sin θ₁, cos θ₂, sin θ₂, θ̇₁, θ̇₂) float32
///     action       torque −1, 0 or +1 on the joint between the links
///     reward       −1 per step, 0 on the terminating step
///     terminated   −cos θ₁ − cos(θ₂ + θ₁) > 1
///     truncated    after 500 steps
///     start        each component uniform in (−0.1, 0.1), rounded to float32 as Gymnasium does
///
/// One step integrates the equations of motion ("book" variant, `AcrobotDynamics`) over
/// dt = 0.2 s with one classical Runge–Kutta step, as Gymnasium's `rk4(…, [0, dt])`; then θ₁,
/// θ₂ are wrapped into [−π, π] and the velocities clipped to ±4π and ±9π.
/// - Paper: Sutton 1996, "Generalization in reinforcement learning: successful examples using
///   sparse coarse coding" (NeurIPS 8); dynamics from Sutton & Barto 1998, §11.3.
/// - Matches: Gymnasium 0.29.1 `gymnasium/envs/classic_control/acrobot.py`, `book_or_nips = "book"`.
public enum Acrobot: ClassicControlTask {
  public typealias Action = Int32

  public static let id = "Acrobot-v1"
  public static let stateSize = 4
  public static let observationSize = 6
  public static let actionSpace = ActionSpace.discrete(count: 3)
  public static let maxEpisodeSteps = 500

  static let dt = 0.2
  /// Joint velocities are clipped to ±4π (first) and ±9π (second) rad/s.
  public static let maxVelocity1 = 4 * Double.pi, maxVelocity2 = 9 * Double.pi
  /// ±1 for the cosines and sines, ±4π and ±9π for the velocities.
  public static let observationBounds: (low: [Float], high: [Float]) = {
    let high: [Float] = [1, 1, 1, 1, Float(maxVelocity1), Float(maxVelocity2)]
    return (high.map { -$0 }, high)
  }()

  public static func initialState(rng: inout Philox) -> SIMD4<Double> {
    // NOTE: Gymnasium draws in float64, then `.astype(np.float32)`; the first step computes in
    // float64 from those rounded values.
    var state = SIMD4<Double>()
    for k in 0..<4 { state[k] = Double(Float(-0.1 + 0.2 * rng.uniformDouble())) }
    return state
  }

  @inline(__always)
  public static func step(_ state: inout SIMD4<Double>, action: UnsafePointer<Int32>) -> (reward: Double, isTerminal: Bool) {
    let torque = Double(action.pointee) - 1  // actions 0, 1, 2 → torques −1, 0, +1
    var next = AcrobotDynamics.rungeKutta4(state, torque: torque, dt: dt)
    next[0] = wrap(next[0])
    next[1] = wrap(next[1])
    next[2] = Swift.min(Swift.max(next[2], -maxVelocity1), maxVelocity1)
    next[3] = Swift.min(Swift.max(next[3], -maxVelocity2), maxVelocity2)
    state = next
    let isTerminal = -cos(next[0]) - cos(next[1] + next[0]) > 1.0
    return (isTerminal ? 0 : -1, isTerminal)
  }

  /// Gymnasium's `wrap(x, −π, π)`: add or subtract 2π until x is in [−π, π].
  @inline(__always)
  static func wrap(_ x: Double) -> Double {
    var x = x
    let diff = Double.pi - -Double.pi
    while x > Double.pi { x = x - diff }
    while x < -Double.pi { x = x + diff }
    return x
  }

  @inline(__always)
  public static func observe(_ state: SIMD4<Double>, into observation: UnsafeMutablePointer<Float>) {
    observation[0] = Float(cos(state[0]))
    observation[1] = Float(sin(state[0]))
    observation[2] = Float(cos(state[1]))
    observation[3] = Float(sin(state[1]))
    observation[4] = Float(state[2])
    observation[5] = Float(state[3])
  }
}
