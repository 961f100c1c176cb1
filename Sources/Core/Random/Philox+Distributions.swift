import Foundation

/// Draws from the common distributions, each defined by exactly which words it consumes so that
/// a seed replays bit for bit on every platform.
extension Philox {
  // MARK: - Uniform

  /// A uniform `Float` in [0, 1) from the top 24 bits of one word: `(next() >> 8) · 2⁻²⁴`.
  ///
  /// Every value is a multiple of 2⁻²⁴, so all 2²⁴ outcomes are equally likely and 1 never occurs.
  @inline(__always)
  public mutating func uniform() -> Float {
    Float(next() >> 8) * 0x1p-24
  }

  /// A uniform `Double` in [0, 1) from the top 53 bits of two words: `(next64() >> 11) · 2⁻⁵³`.
  @inline(__always)
  public mutating func uniformDouble() -> Double {
    Double(next64() >> 11) * 0x1p-53
  }

  /// A uniform `Float` between `low` and `high`: `low + (high − low) · uniform()`.
  ///
  /// The upper end is reached only through rounding, so treat the result as [low, high).
  @inline(__always)
  public mutating func uniform(low: Float, high: Float) -> Float {
    low + (high - low) * uniform()
  }

  /// A uniform `Float` in `range`; see `uniform(low:high:)`.
  @inline(__always)
  public mutating func uniform(in range: ClosedRange<Float>) -> Float {
    uniform(low: range.lowerBound, high: range.upperBound)
  }

  /// An integer uniform in `0..<bound`, without modulo bias (Lemire 2019, "Fast random integer
  /// generation in an interval", arXiv:1805.10941): 64 bits per try, rejection is rare.
  ///
  /// - Precondition: `bound > 0`.
  public mutating func integer(below bound: Int) -> Int {
    precondition(bound > 0, "integer(below:) needs a positive bound, got \(bound)")
    let range = UInt64(bound)
    var product = next64().multipliedFullWidth(by: range)
    if product.low < range {
      let threshold = (0 &- range) % range
      while product.low < threshold { product = next64().multipliedFullWidth(by: range) }
    }
    return Int(product.high)
  }

  // MARK: - Normal

  /// A standard normal `Float` by the Box–Muller transform on two words, computed in `Double`:
  ///
  ///     u1 = (next() + 1) · 2⁻³²  ∈ (0, 1]        // never log 0
  ///     u2 =  next()      · 2⁻³²  ∈ [0, 1)
  ///     z  = √(−2 ln u1) · cos(2π u2)
  ///
  /// The sine half is discarded so the generator's state stays three integers; |z| ≤ 6.66.
  /// - Paper: Box & Muller 1958, "A note on the generation of random normal deviates".
  @inline(__always)
  public mutating func normal() -> Float {
    let u1 = (Double(next()) + 1) * 0x1p-32
    let u2 = Double(next()) * 0x1p-32
    return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
  }

  /// A normal `Float` with the given mean and standard deviation: `mean + std · normal()`.
  @inline(__always)
  public mutating func normal(mean: Float, std: Float) -> Float {
    mean + std * normal()
  }

  // MARK: - Bulk fills

  /// Writes `count` draws of `uniform(low:high:)` to `buffer`, the same values as that many calls.
  public mutating func fill(uniform buffer: UnsafeMutablePointer<Float>, count: Int,
                            low: Float = 0, high: Float = 1) {
    for i in 0..<count { buffer[i] = uniform(low: low, high: high) }
  }

  /// Writes `count` draws of `normal(mean:std:)` to `buffer`, the same values as that many calls.
  public mutating func fill(normal buffer: UnsafeMutablePointer<Float>, count: Int,
                            mean: Float = 0, std: Float = 1) {
    for i in 0..<count { buffer[i] = normal(mean: mean, std: std) }
  }

  // MARK: - Discrete

  /// An index drawn with probability proportional to `probabilities[i]`, by inverse CDF.
  ///
  /// Draws `u = uniformDouble()` (two words) and returns the first `i` with
  /// `u · Σp < p[0] + … + p[i]`, summing in `Double`. The weights need not sum to 1; zero
  /// weights are never drawn.
  /// - Throws: `CoreError.invalidArgument` for an empty buffer, a negative or non-finite weight,
  ///   or weights that sum to zero.
  public mutating func categorical(probabilities: UnsafeBufferPointer<Float>) throws(CoreError) -> Int {
    guard !probabilities.isEmpty else { throw .invalidArgument(op: "categorical", reason: "no classes") }
    var total = 0.0
    for p in probabilities {
      guard p.isFinite, p >= 0 else {
        throw .invalidArgument(op: "categorical", reason: "probability \(p) is negative or not finite")
      }
      total += Double(p)
    }
    guard total > 0 else {
      throw .invalidArgument(op: "categorical", reason: "probabilities sum to 0 over \(probabilities.count) classes")
    }
    let target = uniformDouble() * total
    var cumulative = 0.0
    var lastPositive = 0
    for (i, p) in probabilities.enumerated() where p > 0 {
      cumulative += Double(p)
      lastPositive = i
      if target < cumulative { return i }
    }
    // NOTE: rounding can leave `target` a hair above the final cumulative sum; the mass is there.
    return lastPositive
  }

  /// `categorical(probabilities:)` over an array.
  public mutating func categorical(probabilities: [Float]) throws(CoreError) -> Int {
    try probabilities.withUnsafeBufferPointer { (buffer) throws(CoreError) -> Int in
      try categorical(probabilities: buffer)
    }
  }

  /// An index drawn from `softmax(logits)`, by inverse CDF on `exp(logit − max)` in `Double`.
  ///
  /// Consumes the same two words as `categorical(probabilities:)` (not one word per class as
  /// Gumbel-max would), and allocates nothing. `−∞` logits are masked-out classes.
  /// - Throws: `CoreError.invalidArgument` for an empty buffer, a NaN or `+∞` logit, or all `−∞`.
  public mutating func categorical(logits: UnsafeBufferPointer<Float>) throws(CoreError) -> Int {
    guard !logits.isEmpty else { throw .invalidArgument(op: "categorical", reason: "no classes") }
    var maximum = -Float.infinity
    for logit in logits {
      guard !logit.isNaN, logit != .infinity else {
        throw .invalidArgument(op: "categorical", reason: "logit \(logit) is NaN or +infinity")
      }
      maximum = Swift.max(maximum, logit)
    }
    guard maximum > -.infinity else {
      throw .invalidArgument(op: "categorical", reason: "all \(logits.count) logits are -infinity")
    }
    var total = 0.0
    for logit in logits { total += Foundation.exp(Double(logit - maximum)) }
    let target = uniformDouble() * total
    var cumulative = 0.0
    var lastPositive = 0
    for (i, logit) in logits.enumerated() where logit > -.infinity {
      cumulative += Foundation.exp(Double(logit - maximum))
      lastPositive = i
      if target < cumulative { return i }
    }
    return lastPositive
  }

  /// `categorical(logits:)` over an array.
  public mutating func categorical(logits: [Float]) throws(CoreError) -> Int {
    try logits.withUnsafeBufferPointer { (buffer) throws(CoreError) -> Int in
      try categorical(logits: buffer)
    }
  }

  /// A uniformly random permutation of `0..<n` by Fisher–Yates (Durstenfeld's in-place form):
  /// for `i` from `n − 1` down to 1, swap element `i` with element `integer(below: i + 1)`.
  public mutating func permutation(_ n: Int) -> [Int] {
    var result = Array(0..<Swift.max(n, 0))
    var i = result.count - 1
    while i > 0 {
      result.swapAt(i, integer(below: i + 1))
      i -= 1
    }
    return result
  }
}
