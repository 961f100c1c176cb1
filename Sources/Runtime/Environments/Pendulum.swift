import Core
import Foundation

/// Swing a frictionless pendulum up and hold it inverted with a limited torque (`Pendulum-v1`).
///
///     state        (θ, θ̇), θ = 0 upright, not wrapped    float64
///     observation  (cos θ, sin θ, θ̇)                     float32
///     action       torque u, float32 [1], clipped to ±2 (documented clamp, as Gymnasium)
///     reward       −(normalize(θ)² + 0.1·θ̇² + 0.001·u²), normalize into [−π, π)
///     θ̇'          = clip(θ̇ + (3g/2l · sin θ + 3/(m l²) · u) · dt, ±8),  g = 10, m = l = 1, dt = 0.05
///     θ'           = θ + θ̇' · dt
///     terminated   never
///     truncated    after 200 steps
///     start        θ uniform in (−π, π), θ̇ uniform in (−1, 1)
///
/// - Matches: Gymnasium 0.29.1 `gymnasium/envs/classic_control/pendulum.py` (with NumPy 1.x,
///   whose scalar arithmetic promotes the float32 torque to float64).
public enum Pendulum: ClassicControlTask {
  public typealias Action = Float

  public static let id = "Pendulum-v1"
  public static let stateSize = 2
  public static let observationSize = 3
  /// Actions are clipped to ±2 N·m.
  public static let maxTorque: Float = 2
  public static let actionSpace = ActionSpace.box(low: [-maxTorque], high: [maxTorque])
  public static let maxEpisodeSteps = 200

  static let maxSpeed = 8.0, dt = 0.05, g = 10.0, m = 1.0, l = 1.0
  /// ±1 for cos θ and sin θ, ±8 for θ̇.
  public static let observationBounds: (low: [Float], high: [Float]) = ([-1, -1, -8], [1, 1, 8])

  public static func initialState(rng: inout Philox) -> SIMD4<Double> {
    let theta = -Double.pi + 2 * Double.pi * rng.uniformDouble()
    return SIMD4(theta, -1 + 2 * rng.uniformDouble(), 0, 0)
  }

  @inline(__always)
  public static func step(_ state: inout SIMD4<Double>, action: UnsafePointer<Float>) -> (reward: Double, isTerminal: Bool) {
    let (theta, thetaDot) = (state[0], state[1])
    let u = Double(Swift.min(Swift.max(action.pointee, -maxTorque), maxTorque))
    let normalized = angleNormalize(theta)
    let costs = normalized * normalized + 0.1 * (thetaDot * thetaDot) + 0.001 * (u * u)
    var newThetaDot = thetaDot + (3 * g / (2 * l) * sin(theta) + 3.0 / (m * l * l) * u) * dt
    newThetaDot = Swift.min(Swift.max(newThetaDot, -maxSpeed), maxSpeed)
    state = SIMD4(theta + newThetaDot * dt, newThetaDot, 0, 0)
    return (-costs, false)
  }

  /// `((x + π) mod 2π) − π` with Python's floored modulo (the result takes the divisor's sign).
  @inline(__always)
  static func angleNormalize(_ x: Double) -> Double {
    var r = fmod(x + Double.pi, 2 * Double.pi)
    if r < 0 { r += 2 * Double.pi }
    return r - Double.pi
  }

  @inline(__always)
  public static func observe(_ state: SIMD4<Double>, into observation: UnsafeMutablePointer<Float>) {
    observation[0] = Float(cos(state[0]))
    observation[1] = Float(sin(state[0]))
    observation[2] = Float(state[1])
  }
}
