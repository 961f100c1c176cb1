/// A seeded, counter-based random number generator: Philox4x32-10.
///
/// Philox turns a 128-bit counter and a 64-bit key into 128 random bits with ten rounds of
/// multiply-and-xor; the generator just walks the counter, so any position of any stream can be
/// computed directly and the whole state is three integers (`State`).
///
///     counter = (block lo, block hi, stream lo, stream hi)      // 4 × UInt32
///     key     = (seed lo, seed hi)                              // 2 × UInt32
///     output  = philox4x32_10(counter, key)                     // 4 words per block
///
/// The stream sits in the upper two counter words and the block index in the lower two, so two
/// streams under one seed never produce the same block (they could only meet after 2⁶⁴ blocks).
/// `fork(stream:)` derives a child generator with its own key, so generators form a tree:
/// one seed feeds environments, sampling, shuffling and initialization separately.
///
/// - Paper: Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3"
///   (SC '11). Validated against the Random123 `kat_vectors` known answers (see tests).
/// - Note: `Philox` does not conform to `RandomNumberGenerator` on purpose: the standard
///   library's `shuffle`/`random(in:)` algorithms may change between Swift releases, and runs
///   must replay bit for bit. Use `permutation(_:)`, `integer(below:)` and `uniform()` instead.
public struct Philox: Sendable, Hashable {
  /// The complete position of a generator, for checkpoints: restoring it with
  /// `Philox(state:)` continues the sequence exactly where it was.
  public struct State: Sendable, Hashable, Codable {
    /// The 64-bit key (the seed, or a key derived by `fork(stream:)`).
    public var key: UInt64
    /// The stream: the upper 64 counter bits.
    public var stream: UInt64
    /// Number of 32-bit words drawn so far in this stream.
    public var position: UInt64

    /// A position: `position` words into `stream` of the generator keyed by `key`.
    public init(key: UInt64, stream: UInt64, position: UInt64) {
      self.key = key
      self.stream = stream
      self.position = position
    }
  }

  /// The 64-bit key; the seed for a generator made by `init(seed:stream:)`.
  public let key: UInt64
  /// The upper 64 bits of the counter.
  public let stream: UInt64
  /// Index of the next block to compute (the lower 64 counter bits).
  private var block: UInt64 = 0
  /// The current block's four output words.
  private var buffer: SIMD4<UInt32> = .zero
  /// Next unread word of `buffer`; 4 means the buffer is used up.
  private var lane: Int = 4

  /// A generator for `seed`; different `stream`s under one seed never overlap.
  ///
  /// - Parameters:
  ///   - seed: becomes the Philox key (low word first).
  ///   - stream: becomes the upper 64 counter bits.
  public init(seed: UInt64, stream: UInt64 = 0) {
    key = seed
    self.stream = stream
  }

  /// A generator positioned where `state` says (see `state`).
  public init(state: State) {
    self.init(seed: state.key, stream: state.stream)
    block = state.position / 4
    let skipped = Int(state.position % 4)
    if skipped > 0 {
      refill()
      lane = skipped
    }
  }

  /// The generator's position, for checkpoints.
  public var state: State {
    // `block` already counts the buffered block once it has been computed.
    let position = lane == 4 ? block &* 4 : (block &- 1) &* 4 &+ UInt64(lane)
    return State(key: key, stream: stream, position: position)
  }

  /// The next 32 random bits.
  @inline(__always)
  public mutating func next() -> UInt32 {
    if lane == 4 { refill() }
    let word = buffer[lane]
    lane &+= 1
    return word
  }

  /// The next 64 random bits: the first of two 32-bit words is the low half.
  @inline(__always)
  public mutating func next64() -> UInt64 {
    let low = UInt64(next())
    return low | UInt64(next()) << 32
  }

  /// A child generator for `stream`, independent of this one and of its other children.
  ///
  /// The child's key is the Philox output of this generator's key (with a domain-separation
  /// constant) at counter `(stream lo, stream hi, self.stream lo, self.stream hi)`, like JAX's
  /// key split. It depends only on this generator's key and stream, not on how far it has been
  /// advanced, so `root.fork(stream: 2)` is the same generator whenever it is made.
  /// Two different (parent, stream) pairs share a child key with probability 2⁻⁶⁴.
  public func fork(stream child: UInt64) -> Philox {
    let counter = SIMD4<UInt32>(UInt32(truncatingIfNeeded: child), UInt32(truncatingIfNeeded: child >> 32),
                                UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
    // NOTE: the xor constants (√2, √3 fractional bits) keep a child key from equalling one of
    // the parent's own output blocks.
    let forkKey = SIMD2<UInt32>(UInt32(truncatingIfNeeded: key) ^ 0x6A09_E667,
                                UInt32(truncatingIfNeeded: key >> 32) ^ 0xBB67_AE85)
    let words = Philox.block(counter: counter, key: forkKey)
    return Philox(seed: UInt64(words[0]) | UInt64(words[1]) << 32)
  }

  @inline(__always)
  private mutating func refill() {
    let counter = SIMD4<UInt32>(UInt32(truncatingIfNeeded: block), UInt32(truncatingIfNeeded: block >> 32),
                                UInt32(truncatingIfNeeded: stream), UInt32(truncatingIfNeeded: stream >> 32))
    let keyWords = SIMD2<UInt32>(UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32))
    buffer = Philox.block(counter: counter, key: keyWords)
    block &+= 1
    lane = 0
  }

  // MARK: - The bijection

  private static let multiplier0: UInt32 = 0xD251_1F53
  private static let multiplier1: UInt32 = 0xCD9E_8D57
  private static let weyl0: UInt32 = 0x9E37_79B9  // golden ratio
  private static let weyl1: UInt32 = 0xBB67_AE85  // √3 − 1

  /// Philox4x32-10 of one counter under one key: the raw bijection the known-answer vectors test.
  ///
  /// Each round: `(hi0, lo0) = M0·c0`, `(hi1, lo1) = M1·c2`,
  /// `c ← (hi1 ⊕ c1 ⊕ k0, lo1, hi0 ⊕ c3 ⊕ k1, lo0)`; the key gets the Weyl increments between
  /// rounds (Random123 `philox4x32_R` with R = 10).
  @inline(__always)
  public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
    var c = counter
    var k = key
    for round in 0..<10 {
      if round > 0 {
        k[0] &+= weyl0
        k[1] &+= weyl1
      }
      let p0 = multiplier0.multipliedFullWidth(by: c[0])
      let p1 = multiplier1.multipliedFullWidth(by: c[2])
      c = SIMD4(p1.high ^ c[1] ^ k[0], p1.low, p0.high ^ c[3] ^ k[1], p0.low)
    }
    return c
  }
}

// MARK: - Equatable, Hashable

extension Philox {
  /// Equal when both would produce the same sequence from here on (same key, stream, position).
  public static func == (lhs: Philox, rhs: Philox) -> Bool { lhs.state == rhs.state }
  /// Hashes the key, stream and position.
  public func hash(into hasher: inout Hasher) { hasher.combine(state) }
}
