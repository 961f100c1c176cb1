/// Vectorized single-precision math on 16 lanes at a time: exp, log, log1p and sqrt here,
/// tanh and sigmoid in `VectorMath+Hyperbolic`, erf and gelu in `VectorMath+Erf`.
///
/// Every function works lane by lane — no lane reads another — so a kernel that runs the
/// final partial vector through the same function on a zero-padded copy gets exactly the
/// values the full vectors would have given (results never depend on an element's
/// position). Polynomials were fitted by Lawson-weighted least squares (near minimax) with
/// coefficients rounded to `Float` one at a time and the rest refitted; they are written as
/// hex literals so the bits are exact.
///
/// Accuracy against the `Double` functions (measured by `VectorMathTests` on 10⁵ points over
/// [−20, 20], every binade of both signs and the special values) is in each doc comment.
@usableFromInline
enum VectorMath {
  /// The vector type every kernel works on: 16 lanes is one AVX-512 register.
  typealias Vector = SIMD16<Float>
  /// Lane-wise integer view of a `Vector`'s bits.
  typealias Bits = SIMD16<Int32>

  /// Lanes per vector.
  static var width: Int { Vector.scalarCount }

  // MARK: - Helpers

  @inline(__always) static func bits(_ v: Vector) -> Bits { unsafeBitCast(v, to: Bits.self) }
  @inline(__always) static func float(bits b: Bits) -> Vector { unsafeBitCast(b, to: Vector.self) }

  /// a·b + c with one rounding.
  @inline(__always) static func fma(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector { c.addingProduct(a, b) }
  /// a·b + c with one rounding, c a constant.
  @inline(__always) static func fma(_ a: Vector, _ b: Vector, _ c: Float) -> Vector {
    Vector(repeating: c).addingProduct(a, b)
  }

  /// |x| by clearing the sign bit (keeps NaN a NaN).
  @inline(__always) static func abs(_ x: Vector) -> Vector { float(bits: bits(x) & 0x7FFF_FFFF) }

  /// −x by flipping the sign bit. NOTE: the stdlib's SIMD prefix minus is `0 − x`, which
  /// turns +0 into +0 rather than −0; this matches the scalar `-x` on every input.
  @inline(__always) static func negate(_ x: Vector) -> Vector { float(bits: bits(x) ^ Int32.min) }

  /// The magnitude of `magnitude` with the sign bit of `sign`.
  @inline(__always) static func copysign(_ magnitude: Vector, _ sign: Vector) -> Vector {
    float(bits: (bits(magnitude) & 0x7FFF_FFFF) | (bits(sign) & Int32(bitPattern: 0x8000_0000)))
  }

  /// Lanes that hold a NaN.
  @inline(__always) static func isNaN(_ x: Vector) -> SIMDMask<Bits> { x .!= x }

  /// Exact int → float for |n| < 2²², without a conversion instruction the stdlib may not emit:
  /// adding n to the bits of 1.5·2²³ gives the float 1.5·2²³ + n.
  @inline(__always) static func float(_ n: Bits) -> Vector {
    float(bits: n &+ 0x4B40_0000) - 0x1.8p23
  }

  // MARK: - exp

  /// eˣ lane by lane. Max error 1 ulp on [−20, 20] and over the whole finite range.
  ///
  /// x > 88.7228 gives +inf, x < −103.97 gives 0, results below 2⁻¹²⁶ are correctly
  /// produced as subnormals, exp(−inf) = 0, NaN stays NaN.
  @inline(__always) static func exp(_ x: Vector) -> Vector {
    // NOTE: clamping to [−110, 90] keeps 2ⁿ's two halves normal; beyond that the result
    // has already over/underflowed, and NaN passes through (comparisons with NaN are false).
    var x = x.replacing(with: 90, where: x .> 90)
    x = x.replacing(with: -110, where: x .< -110)
    let (n, k) = nearestMultipleOfLn2(x)
    // r = x − n·ln2, with ln2 = C1 + C2 and C1 short (9 bits) so n·C1 is exact.
    var r = fma(n, Vector(repeating: -0x1.63p-1), x)
    r = fma(n, Vector(repeating: 0x1.bd0106p-13), r)
    return expReduced(r, k)
  }

  /// e^(hi + lo + tiny)·2^m, where `lo` (|lo| ≲ 2) and `tiny` (far below ulp(lo)) are
  /// corrections carried separately so that large arguments known to more than 24 bits
  /// (−t² as a double-Float) keep their accuracy. The scaling m ∈ [0, 32] is folded into
  /// the exponent, so a result that would be subnormal keeps all its bits until the caller
  /// scales back once. The caller keeps hi + lo inside [−110, 90].
  @inline(__always) static func expSum(_ hi: Vector, _ lo: Vector, _ tiny: Vector, timesPowerOfTwo m: Bits) -> Vector {
    let (n, k) = nearestMultipleOfLn2(hi + lo)
    var r = fma(n, Vector(repeating: -0x1.63p-1), hi)
    r = r + lo + tiny
    r = fma(n, Vector(repeating: 0x1.bd0106p-13), r)
    return expReduced(r, k &+ m)
  }

  /// n = round(x·log2(e)) as a float and as an integer, read from the low bits of
  /// x·log2(e) + 1.5·2²³ (no conversion instruction needed).
  @inline(__always) static func nearestMultipleOfLn2(_ x: Vector) -> (n: Vector, k: Bits) {
    let magic: Float = 0x1.8p23
    let t = fma(x, Vector(repeating: 0x1.715476p0), magic)
    return (t - magic, bits(t) &- bits(Vector(repeating: magic)))
  }

  /// e^r·2^k for |r| ≤ ln2/2 (slightly more is fine) and k ∈ [−159, 162].
  @inline(__always) static func expReduced(_ r: Vector, _ k: Bits) -> Vector {
    // e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2 (fitted, 1e-9 relative).
    var p = Vector(repeating: 0x1.9f08b4p-13)
    p = fma(p, r, 0x1.6d8d06p-10)
    p = fma(p, r, 0x1.11127p-7)
    p = fma(p, r, 0x1.55548ep-5)
    p = fma(p, r, 0x1.555554p-3)
    p = fma(p, r, 0.5)
    let y = fma(p, r * r, r) + 1
    // 2ᵏ as two normal factors so k neither overflows nor flushes to zero early.
    let k1 = k &>> 1
    let k2 = k &- k1
    let s1 = float(bits: (k1 &+ 127) &<< 23)
    let s2 = float(bits: (k2 &+ 127) &<< 23)
    return y * s1 * s2
  }

  // MARK: - log

  /// Natural logarithm. Max error 1 ulp.
  ///
  /// log(±0) = −inf, log(x < 0) = NaN, log(+inf) = +inf, NaN stays NaN. Subnormal inputs
  /// are handled exactly (scaled by 2²³ first), not flushed to zero.
  @inline(__always) static func log(_ x: Vector) -> Vector {
    let isSubnormal = x .< Float.leastNormalMagnitude
    let scaled = x.replacing(with: x * 0x1p23, where: isSubnormal)
    var exponentBias = Bits(repeating: 0)
    exponentBias.replace(with: -23, where: isSubnormal)
    // NOTE: offsetting by the bits of √½ puts the mantissa m in [√½, √2), so f = m − 1 is
    // small on both sides and the exponent e comes from one shift (musl's logf trick).
    let offset = bits(Vector(repeating: 0x1.6a09e6p-1))
    let ix = bits(scaled) &- offset
    let e = float((ix &>> 23) &+ exponentBias)
    let m = float(bits: (ix & 0x007F_FFFF) &+ offset)
    let f = m - 1
    let z = f * f
    // log(1 + f) = f − f²/2 + f³·P(f) (fitted, 3e-9 relative).
    var p = Vector(repeating: 0x1.145612p-4)
    p = fma(p, f, -0x1.de3bb4p-4)
    p = fma(p, f, 0x1.e6f0fp-4)
    p = fma(p, f, -0x1.fc222p-4)
    p = fma(p, f, 0x1.23376p-3)
    p = fma(p, f, -0x1.555c4cp-3)
    p = fma(p, f, 0x1.99a4b6p-3)
    p = fma(p, f, -0x1.000006p-2)
    p = fma(p, f, 0x1.555548p-2)
    // Cephes order: the small terms first, then f, then the exact part e·C1 of e·ln2.
    var y = fma(f * z, p, e * -0x1.bd0106p-13)
    y = fma(z, Vector(repeating: -0.5), y)
    var result = fma(e, Vector(repeating: 0x1.63p-1), f + y)
    result.replace(with: .nan, where: .!(x .>= 0))  // negative or NaN
    result.replace(with: -.infinity, where: x .== 0)
    result.replace(with: .infinity, where: x .== .infinity)
    return result
  }

  // MARK: - log1p

  /// log(1 + x), accurate for tiny x. Max error 1.5 ulp.
  ///
  /// log1p(−1) = −inf, x < −1 gives NaN, log1p(±0) = ±0, NaN stays NaN.
  @inline(__always) static func log1p(_ x: Vector) -> Vector {
    let u = 1 + x
    // NOTE: u = fl(1 + x) loses x's low bits; the exact rounding error err (TwoSum) is put
    // back to first order: log(1 + x) = log(u + err) ≈ log(u) + err/u.
    let b = u - 1
    let a = u - b
    let err = (1 - a) + (x - b)
    let logU = log(u)
    var result = logU + err / u
    result.replace(with: logU, where: .!((u .> 0) .& (u .< .infinity)))
    // u == 1: log1p(x) = x to within x²/2 < half an ulp; also keeps the sign of ±0.
    result.replace(with: x, where: u .== 1)
    return result
  }

  // MARK: - sqrt

  /// √x, correctly rounded: checked bit for bit against `Float.squareRoot()` on every
  /// non-negative Float. sqrt(±0) = ±0, sqrt(+inf) = +inf, x < 0 or NaN gives NaN.
  ///
  /// Swift lowers `squareRoot()` to a `sqrtf` call guarded by an errno check, which stays
  /// scalar even on SIMD types; this computes 1/√x by the bit trick and three Newton steps,
  /// then one fma-corrected step on √x = x·(1/√x), which rounds correctly (Markstein).
  @inline(__always) static func sqrt(_ x: Vector) -> Vector {
    // NOTE: below 2⁻⁸⁰ the remainder x − s² would be subnormal and inexact; scaling by 2⁴⁸
    // (an even power, so √ scales by exactly 2²⁴) keeps every step normal.
    let isTiny = x .< 0x1p-80
    let scaled = x.replacing(with: x * 0x1p48, where: isTiny)
    var r = float(bits: Bits(repeating: 0x5F37_5A86) &- (bits(scaled) &>> 1))
    let half = scaled * 0.5
    r = r * (1.5 - half * r * r)
    r = r * (1.5 - half * r * r)
    r = r * (1.5 - half * r * r)
    let s = scaled * r
    let remainder = fma(-s, s, scaled)
    var result = fma(remainder, r * 0.5, s)
    result = result.replacing(with: result * 0x1p-24, where: isTiny)
    result.replace(with: .nan, where: .!(x .>= 0))
    result.replace(with: x, where: (x .== 0) .| (x .== .infinity))
    return result
  }
}
