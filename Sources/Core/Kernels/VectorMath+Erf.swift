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
    let denominator = fma(ax, Vector(repeating: 0.5), 1), denominatorLo = Vector(repeating: 0)
    let large = copysign(1 - erfcTail(negativeSquareHi: -squareHi, negativeSquareLo: -squareLo,
                                      denominator: denominator, denominatorLo: denominatorLo,
                                      compensated: false), x)
    // NOTE: the split leading term turns −0 into +0; erf(±0) = ±0 is restored by keeping x.
    return small.replacing(with: large, where: .!(ax .< 1)).replacing(with: x, where: x .== 0)
  }

  /// erfc(a) for a ≥ 0 as T·exp(−a² + Q(T)) with T = 1/(1 + a/2), the form of Numerical
  /// Recipes' `erfcc` with a polynomial Q refitted for Float (5e-9 absolute in the exponent).
  ///
  /// Every term that would cost a fraction of an ulp is carried as an unevaluated sum:
  /// −a² = hi + lo (hi = −fl(a²)), the denominator 1 + a/2 = d + dLo, and Q's last Horner
  /// step; their small parts are added to the exponent after the range reduction, so the
  /// result keeps about 2 ulp of relative accuracy down to the subnormals (`compensated`;
  /// without, about 4 ulp, plenty where erfc is subtracted from 1). The caller keeps a² ≤ 108.
  @inline(__always) static func erfcTail(negativeSquareHi: Vector, negativeSquareLo: Vector, denominator d: Vector,
                                         denominatorLo dLo: Vector, compensated: Bool,
                                         timesPowerOfTwo m: Bits = Bits(repeating: 0)) -> Vector {
    let t = 1 / d
    // 1/(d + dLo) = t·(1 + ε): the division's exact residual and the denominator's low part.
    let epsilon = fma(-t, d, 1) - dLo * t
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
    guard compensated else {
      return t * expSum(negativeSquareHi, fma(q, u, -0x1.57f566p-1), negativeSquareLo, timesPowerOfTwo: m)
    }
    // The last step, q·u + c₀, exactly as qHi + qLo (TwoProduct, then TwoSum).
    let product = q * u
    let productLo = fma(q, u, -product)
    let (qHi, sumLo) = twoSum(product, Vector(repeating: -0x1.57f566p-1))
    // NOTE: t·(1 + ε)·e^(Q(t(1 + ε))) = t·e^(Q(t) + ε·(1 + t·Q′(t))); Q′ = 2·dQ/du needs
    // only a few percent accuracy, so three terms of the derivative do.
    let slope = fma(fma(u, Vector(repeating: 3 * -0x1.802b4ep-5), Vector(repeating: 2 * 0x1.83da08p-5)), u,
                    Vector(repeating: 0x1.5864b2p-1))
    let correction = epsilon * fma(t * 2, slope, 1)
    let tiny = negativeSquareLo + (productLo + sumLo) + correction
    return t * expSum(negativeSquareHi, qHi, tiny, timesPowerOfTwo: m)
  }

  /// a + b as (s, e) with s = fl(a + b) and e the exact rounding error (Knuth's TwoSum).
  @inline(__always) static func twoSum(_ a: Vector, _ b: Vector) -> (Vector, Vector) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
  }

  // MARK: - gelu

  /// Exact GELU, x·Φ(x) with Φ(x) = ½·erfc(−x/√2) (torch's default `nn.GELU()`).
  /// Max error 2.6 ulp (on the negative side, where erfc's exponent carries the result);
  /// about 1 ulp for x ≥ 0.
  ///
  /// Φ is taken from erfc on both sides — ½·erfc(|x|/√2) for x < 0 and 1 − ½·erfc(x/√2) for
  /// x ≥ 0 — so the tiny negative outputs keep their relative accuracy instead of cancelling
  /// in 1 + erf. −x²/2 is formed exactly from x (no rounding of x/√2 in the exponent).
  /// gelu(x < −14.5) = −0 (the true value is below the smallest subnormal), gelu(+inf) = +inf.
  @inline(__always) static func gelu(_ x: Vector) -> Vector {
    let a = abs(x).replacing(with: 14.5, where: abs(x) .> 14.5)
    let squareHi = a * a
    let squareLo = fma(a, a, -squareHi)
    // 1 + (a/√2)/2 = 1 + a·c as d + dLo, with c = 1/(2√2) itself split in two Floats.
    let p = a * 0x1.6a09e6p-2
    let pLo = fma(a, Vector(repeating: 0x1.6a09e6p-2), -p) + a * 0x1.9fcef4p-28
    let (d, sumLo) = twoSum(Vector(repeating: 1), p)
    // NOTE: for x < 0, Φ is computed times 2³² and scaled back after multiplying by x: Φ
    // itself is subnormal below x ≈ −13, and rounding it there before the product would
    // cost up to |x|/2 ulp of the result.
    let isNegative = x .< 0
    var m = Bits(repeating: 0)
    m.replace(with: 32, where: isNegative)
    let half = 0.5 * erfcTail(negativeSquareHi: -0.5 * squareHi, negativeSquareLo: -0.5 * squareLo,
                              denominator: d, denominatorLo: sumLo + pLo, compensated: true, timesPowerOfTwo: m)
    let phi = half.replacing(with: 1 - half, where: .!isNegative)
    let unscale = Vector(repeating: 1).replacing(with: 0x1p-32, where: isNegative)
    return (x * phi * unscale).replacing(with: -0.0, where: x .< -14.5)
  }

  // MARK: - gelu's derivative

  /// d/dx x·Φ(x) = Φ(x) + x·φ(x), with Φ(x) = ½(1 + erf(x/√2)) and φ(x) = e^(−x²/2)/√(2π).
  /// Error within 4 ulp plus 1e-7 absolute: the derivative crosses zero near x ≈ −0.75, and
  /// for x < −3 the result is x·φ(x) plus a Φ that 1 + erf only knows to 6e-8 absolute — a
  /// gradient needs no more. 1 above 14.5 and −0 below −14.5, where the true values round to those.
  @inline(__always) static func geluDerivative(_ x: Vector) -> Vector {
    let a = abs(x).replacing(with: 14.5, where: abs(x) .> 14.5)
    let clamped = copysign(a, x)
    let phi = fma(erf(clamped * 0x1.6a09e6p-1), Vector(repeating: 0.5), 0.5)  // 1/√2
    // e^(−x²/2) with x² = s + sLo exact, so the exponent's rounding (up to 4e-6 absolute
    // at x = 9, 30 ulp of the result) is put back as a factor 1 − sLo/2.
    let square = clamped * clamped
    let squareLo = fma(clamped, clamped, -square)
    let density = exp(-0.5 * square) * fma(squareLo, Vector(repeating: -0.5), 1) * 0x1.988454p-2  // 1/√(2π)
    let result = fma(clamped, density, phi)
    return result.replacing(with: 1, where: x .> 14.5).replacing(with: -0.0, where: x .< -14.5)
  }
}
