import Core
import Foundation

/// A pole hinged on a cart that moves along a frictionless track; push the cart left or right
/// to keep the pole upright (`CartPole-v1`).
///
///     state        (x, ẋ, θ, θ̇)                        float64
///     observation  (x, ẋ, θ, θ̇)                        float32
///     action       0: push left, 1: push right (force ∓10 N)
///     reward       +1 every step, the terminating one included
///     terminated   |x| > 2.4 or |θ| > 12° (0.2094 rad)
///     truncated    after 500 steps
///     start        each component uniform in (−0.05, 0.05)
///
/// Dynamics by explicit Euler with τ = 0.02 s, Gymnasium's default
/// `kinematics_integrator = "euler"`, with its exact operation order so that float64 states
/// agree bit for bit (see tests).
/// - Paper: Barto, Sutton & Anderson 1983, "Neuronlike adaptive elements that can solve
///   difficult learning control problems" (IEEE SMC 13(5)); equations from Florian 2007,
///   "Correct equations for the dynamics of the cart-pole system".
/// - Matches: Gymnasium 0.29.1 `gymnasium/envs/classic_control/cartpole.py`.
public enum CartPole: ClassicControlTask {
  public typealias Action = Int32

  public static let id = "CartPole-v1"
  public static let stateSize = 4
  public static let observationSize = 4
  public static let actionSpace = ActionSpace.discrete(count: 2)
  public static let maxEpisodeSteps = 500

  static let gravity = 9.8, massCart = 1.0, massPole = 0.1
  static let totalMass = massPole + massCart
  /// Half the pole's length.
  static let length = 0.5
  static let poleMassLength = massPole * length
  static let forceMagnitude = 10.0
  static let tau = 0.02
  /// 12° in radians, computed as Gymnasium does: past it the pole has fallen.
  public static let thetaThreshold = 12 * 2 * Double.pi / 360
  /// Past ±2.4 the cart has left the track.
  public static let xThreshold = 2.4
  /// Twice the thresholds for x and θ, unbounded (float32 max) velocities.
  public static let observationBounds: (low: [Float], high: [Float]) = {
    let high = [Float(xThreshold * 2), .greatestFiniteMagnitude, Float(thetaThreshold * 2), .greatestFiniteMagnitude]
    return (high.map { -$0 }, high)
  }()

  public static func initialState(rng: inout Philox) -> SIMD4<Double> {
    var state = SIMD4<Double>()
    for k in 0..<4 { state[k] = -0.05 + 0.1 * rng.uniformDouble() }
    return state
  }

  @inline(__always)
  public static func step(_ state: inout SIMD4<Double>, action: UnsafePointer<Int32>) -> (reward: Double, isTerminal: Bool) {
    var (x, xDot, theta, thetaDot) = (state[0], state[1], state[2], state[3])
    let force = action.pointee == 1 ? forceMagnitude : -forceMagnitude
    let cosTheta = cos(theta), sinTheta = sin(theta)
    // NOTE: every product is grouped as Python evaluates it, left to right.
    let temp = (force + poleMassLength * (thetaDot * thetaDot) * sinTheta) / totalMass
    let thetaAcc = (gravity * sinTheta - cosTheta * temp)
      / (length * (4.0 / 3.0 - massPole * (cosTheta * cosTheta) / totalMass))
    let xAcc = temp - poleMassLength * thetaAcc * cosTheta / totalMass
    x = x + tau * xDot
    xDot = xDot + tau * xAcc
    theta = theta + tau * thetaDot
    thetaDot = thetaDot + tau * thetaAcc
    state = SIMD4(x, xDot, theta, thetaDot)
    let isTerminal = x < -xThreshold || x > xThreshold || theta < -thetaThreshold || theta > thetaThreshold
    return (1, isTerminal)
  }

  @inline(__always)
  public static func observe(_ state: SIMD4<Double>, into observation: UnsafeMutablePointer<Float>) {
    for k in 0..<4 { observation[k] = Float(state[k]) }
  }
}
