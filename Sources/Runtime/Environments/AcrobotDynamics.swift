import Foundation

/// The acrobot's equations of motion and their integration, as Gymnasium's `_dsdt` and `rk4`.
///
/// With link masses m₁ = m₂ = 1, lengths l₁ = 1, centres of mass lc₁ = lc₂ = 0.5, moments of
/// inertia I₁ = I₂ = 1, g = 9.8 and torque a on the second joint ("book" variant):
///
///     d₁ = m₁lc₁² + m₂(l₁² + lc₂² + 2l₁lc₂ cos θ₂) + I₁ + I₂
///     d₂ = m₂(lc₂² + l₁lc₂ cos θ₂) + I₂
///     φ₂ = m₂lc₂g cos(θ₁ + θ₂ − π/2)
///     φ₁ = −m₂l₁lc₂θ̇₂² sin θ₂ − 2m₂l₁lc₂θ̇₂θ̇₁ sin θ₂ + (m₁lc₁ + m₂l₁)g cos(θ₁ − π/2) + φ₂
///     θ̈₂ = (a + d₂/d₁ φ₁ − m₂l₁lc₂θ̇₁² sin θ₂ − φ₂) / (m₂lc₂² + I₂ − d₂²/d₁)
///     θ̈₁ = −(d₂θ̈₂ + φ₁) / d₁
///
/// Every expression keeps Python's left-to-right grouping so the float64 results agree with
/// Gymnasium's bit for bit wherever the sine and cosine do.
/// - Paper: Sutton & Barto 1998, "Reinforcement Learning: An Introduction", §11.3.
enum AcrobotDynamics {
  static let m1 = 1.0, m2 = 1.0, l1 = 1.0, lc1 = 0.5, lc2 = 0.5, i1 = 1.0, i2 = 1.0, g = 9.8

  /// (θ̇₁, θ̇₂, θ̈₁, θ̈₂) at `s` under torque `a`.
  @inline(__always)
  static func derivatives(_ s: SIMD4<Double>, torque a: Double) -> SIMD4<Double> {
    let (theta1, theta2, dtheta1, dtheta2) = (s[0], s[1], s[2], s[3])
    let cos2 = cos(theta2), sin2 = sin(theta2)
    let d1 = m1 * (lc1 * lc1) + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * cos2) + i1 + i2
    let d2 = m2 * (lc2 * lc2 + l1 * lc2 * cos2) + i2
    let phi2 = m2 * lc2 * g * cos(theta1 + theta2 - Double.pi / 2.0)
    let phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * sin2
      - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * sin2
      + (m1 * lc1 + m2 * l1) * g * cos(theta1 - Double.pi / 2)
      + phi2
    let ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * sin2 - phi2)
      / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1)
    let ddtheta1 = -(d2 * ddtheta2 + phi1) / d1
    return SIMD4(dtheta1, dtheta2, ddtheta1, ddtheta2)
  }

  /// One classical Runge–Kutta step of length `dt` (Gymnasium's `rk4` with `t = [0, dt]`):
  ///
  ///     y₁ = y₀ + dt/6 · (k₁ + 2k₂ + 2k₃ + k₄)
  @inline(__always)
  static func rungeKutta4(_ y0: SIMD4<Double>, torque: Double, dt: Double) -> SIMD4<Double> {
    let half = dt / 2.0
    let k1 = derivatives(y0, torque: torque)
    let k2 = derivatives(y0 + half * k1, torque: torque)
    let k3 = derivatives(y0 + half * k2, torque: torque)
    let k4 = derivatives(y0 + dt * k3, torque: torque)
    return y0 + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
  }
}
