extension VectorMath {
  // MARK: - tanh

  /// Hyperbolic tangent. Max error 1.1 ulp.
  ///
  /// |x| < 0.625 uses an odd polynomial (exact near 0, keeps −0); above, 1 − 2/(e²ˣ + 1)
  /// with the sign restored, which saturates to ±1 (e²ˣ overflowing to inf is fine).
  @inline(__always) static func tanh(_ x: Vector) -> Vector {
    let ax = abs(x)
    let z = x * x
    // tanh(x) = x + x³·P(x²) on |x| < 0.625 (fitted, 9e-9 relative).
    var p = Vector(repeating: -0x1.75e13ap-8)
    p = fma(p, z, 0x1.522678p-6)
    p = fma(p, z, -0x1.b83c54p-5)
    p = fma(p, z, 0x1.110726p-3)
    p = fma(p, z, -0x1.555532p-2)
    let small = fma(x * z, p, x)
    let e = exp(ax + ax)
    let large = copysign(1 - 2 / (e + 1), x)
    // NOTE: x + x³·P turns −0 into +0 (−0 + +0); tanh(±0) = ±0 is restored by keeping x.
    return small.replacing(with: large, where: .!(ax .< 0.625)).replacing(with: x, where: x .== 0)
  }

  // MARK: - sigmoid

  /// The logistic function 1/(1 + e⁻ˣ). Max error 1.5 ulp.
  ///
  /// Computed from e = e^(−|x|) ≤ 1 as 1/(1 + e) for x ≥ 0 and e/(1 + e) for x < 0, so no
  /// intermediate overflows: σ(−100) = 3.7e−44 (a subnormal), σ(−inf) = 0, σ(+inf) = 1.
  @inline(__always) static func sigmoid(_ x: Vector) -> Vector {
    let e = exp(-abs(x))
    let numerator = e.replacing(with: 1, where: x .>= 0)
    // NOTE: the rounding of 1 + e (exact low part, since e ≤ 1) and of the division (exact
    // residual) are put back in one correction step; 1/s only needs a few bits there, so
    // the line 1.5 − s/2 through (1, 1) and (2, ½) stands in for it.
    let s = 1 + e
    let sLo = (1 - s) + e
    let q = numerator / s
    let residual = fma(-q, s, numerator) - q * sLo
    let corrected = fma(residual, fma(s, Vector(repeating: -0.5), 1.5), q)
    // Subnormal quotients (x < −87) would have their residual flushed; keep the plain one.
    return corrected.replacing(with: q, where: q .< Float.leastNormalMagnitude)
  }
}
