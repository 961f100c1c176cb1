extension VectorMath {
  // MARK: - erf

  /// The error function. Max error 1 ulp.
  ///
  /// |x| < 1: erf(x) = x·P(x²); otherwise 1 − erfc(|x|) with the sign restored, where
  /// erfc comes from `erfcTail`. erf(±inf) = ±1, NaN stays NaN.
  @inline(__always) static func erf(_ x: Vector) -> Vector {
    // NOTE: erfc(10) ≈ 2e−45, so clamping there changes nothing and keeps exp in range.
    let ax = abs(x).replacing(with: 10, where: abs(x) .> 10)
    // erf(x)/x = 2/√π + x²·P(x²) on |x| < 1 (fitted, 2e-9 relative); 2/√π is split in two
    // Floats so the leading term carries no rounding of its own.
    let z = x * x
    var p = Vector(repeating: 0x1.6f74c6p-17)
    p = fma(p, z, -0x1.946476p-15)
    p = fma(p, z, 0x1.489066p-14)
    p = fma(p, z, 0x1.be5ae6p-16)
    p = fma(p, z, -0x1.a35a2ep-11)
    p = fma(p, z, 0x1.5520aep-8)
    p = fma(p, z, -0x1.b81df8p-6)
    p = fma(p, z, 0x1.ce2ecap-4)
    p = fma(p, z, -0x1.812746p-2)
    let small = fma(x, Vector(repeating: 0x1.20dd76p0), x * fma(z, p, -0x1.f7ac92p-25))
    let squareHi = ax * ax
    let squareLo = fma(ax, ax, -squareHi)
    let large = copysign(1 - erfcTail(negativeSquareHi: -squareHi, negativeSquareLo: -squareLo,
                                      t: 1 / fma(ax, Vector(repeating: 0.5), 1)), x)
    return small.replacing(with: large, where: .!(ax .< 1))
  }

  /// erfc(a) for a ≥ 0 as T·exp(−a² + Q(T)) with T = 1/(1 + a/2), the form of Numerical
  /// Recipes' `erfcc` with a polynomial Q refitted for Float (1.2e-7 absolute in the exponent,
  /// so about 3 ulp relative anywhere, down to the subnormals).
  ///
  /// −a² is passed as an unevaluated sum hi + lo (hi = −fl(a²), lo its rounding error) so
  /// that large arguments, where e^(−a²) is tiny, keep full relative accuracy. The caller
  /// keeps a² ≤ 108.
  @inline(__always) static func erfcTail(negativeSquareHi: Vector, negativeSquareLo: Vector, t: Vector,
                                         timesPowerOfTwo m: Bits = Bits(repeating: 0)) -> Vector {
    // Q in u = 2T − 1 ∈ [−1, 1], where the coefficients stay small (< 0.7) and the
    // evaluation does not cancel.
    let u = fma(t, Vector(repeating: 2), -1)
    var q = Vector(repeating: -0x1.93c3p-14)
    q = fma(q, u, 0x1.770a02p-16)
    q = fma(q, u, 0x1.3a38bcp-11)
    q = fma(q, u, -0x1.1406b8p-12)
    q = fma(q, u, -0x1.2f6e7p-9)
    q = fma(q, u, 0x1.de42cap-10)
    q = fma(q, u, 0x1.2106dep-7)
    q = fma(q, u, -0x1.441894p-7)
    q = fma(q, u, -0x1.802b4ep-5)
    q = fma(q, u, 0x1.83da08p-5)
    q = fma(q, u, 0x1.5864b2p-1)
    q = fma(q, u, -0x1.57f566p-1)
    return t * expSum(negativeSquareHi, q, negativeSquareLo, timesPowerOfTwo: m)
  }

  // MARK: - gelu

  /// Exact GELU, x·Φ(x) with Φ(x) = ½·erfc(−x/√2) (torch's default `nn.GELU()`).
  /// Max error 4.3 ulp (relative 2.6e−7), on the negative side where erfc's exponent
  /// polynomial dominates; about 1 ulp for x ≥ 0.
  ///
  /// Φ is taken from erfc on both sides — ½·erfc(|x|/√2) for x < 0 and 1 − ½·erfc(x/√2) for
  /// x ≥ 0 — so the tiny negative outputs keep their relative accuracy instead of cancelling
  /// in 1 + erf. −x²/2 is formed exactly from x (no rounding of x/√2 in the exponent).
  /// gelu(x < −14.5) = −0 (the true value is below the smallest subnormal), gelu(+inf) = +inf.
  @inline(__always) static func gelu(_ x: Vector) -> Vector {
    let a = abs(x).replacing(with: 14.5, where: abs(x) .> 14.5)
    let squareHi = a * a
    let squareLo = fma(a, a, -squareHi)
    let t = 1 / fma(a, Vector(repeating: 0x1.6a09e6p-2), 1)  // 1/(1 + (a/√2)/2)
    // NOTE: for x < 0, Φ is computed times 2³² and scaled back after multiplying by x: Φ
    // itself is subnormal below x ≈ −13, and rounding it there before the product would
    // cost up to |x|/2 ulp of the result.
    let isNegative = x .< 0
    var m = Bits(repeating: 0)
    m.replace(with: 32, where: isNegative)
    let half = 0.5 * erfcTail(negativeSquareHi: -0.5 * squareHi, negativeSquareLo: -0.5 * squareLo, t: t,
                              timesPowerOfTwo: m)
    let phi = half.replacing(with: 1 - half, where: .!isNegative)
    let unscale = Vector(repeating: 1).replacing(with: 0x1p-32, where: isNegative)
    return (x * phi * unscale).replacing(with: -0.0, where: x .< -14.5)
  }
}
