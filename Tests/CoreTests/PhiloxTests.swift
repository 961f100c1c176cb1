import Core
import Foundation
import Testing
import TestSupport

@Suite struct PhiloxTests {
  // MARK: - The bijection

  // Random123 kat_vectors, "philox4x32 10" lines: counter (4 words), key (2 words), output.
  static let katCounters: [SIMD4<UInt32>] = [
    SIMD4(0, 0, 0, 0),
    SIMD4(0xffff_ffff, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff),
    SIMD4(0x243f_6a88, 0x85a3_08d3, 0x1319_8a2e, 0x0370_7344),
  ]
  static let katKeys: [SIMD2<UInt32>] = [SIMD2(0, 0), SIMD2(0xffff_ffff, 0xffff_ffff), SIMD2(0xa409_3822, 0x299f_31d0)]
  static let katOutputs: [SIMD4<UInt32>] = [
    SIMD4(0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8),
    SIMD4(0x408f_276d, 0x41c8_3b0e, 0xa20b_c7c6, 0x6d54_51fd),
    SIMD4(0xd16c_fe09, 0x94fd_cceb, 0x5001_e420, 0x2412_6ea1),
  ]

  @Test("matches the Random123 philox4x32-10 known-answer vectors", arguments: 0..<3)
  func knownAnswers(vector: Int) {
    let output = Philox.block(counter: Self.katCounters[vector], key: Self.katKeys[vector])
    #expect(output == Self.katOutputs[vector])
  }

  @Test("the word sequence is the blocks at counter (i, 0, stream) in order")
  func sequenceLayout() {
    // Seed = key (low word first), stream in the upper counter words, block index in the lower.
    let seed: UInt64 = 0x299f_31d0_a409_3822
    let stream: UInt64 = 0x0370_7344_1319_8a2e
    var rng = Philox(seed: seed, stream: stream)
    let key = SIMD2<UInt32>(0xa409_3822, 0x299f_31d0)
    let block0 = Philox.block(counter: SIMD4(0, 0, 0x1319_8a2e, 0x0370_7344), key: key)
    let block1 = Philox.block(counter: SIMD4(1, 0, 0x1319_8a2e, 0x0370_7344), key: key)
    let words = (0..<8).map { _ in rng.next() }
    #expect(words == (0..<4).map { block0[$0] } + (0..<4).map { block1[$0] })
    // Philox(seed: 0) starts with the all-zero known answer.
    var zero = Philox(seed: 0)
    #expect((0..<4).map { _ in zero.next() } == [0x6627_e8d5, 0xe169_c58d, 0xbc57_ac4c, 0x9b00_dbd8])
  }

  @Test("next64 puts the first word in the low half")
  func next64Order() {
    var a = Philox(seed: 7)
    var b = Philox(seed: 7)
    let low = UInt64(b.next())
    let high = UInt64(b.next())
    #expect(a.next64() == low | high << 32)
  }

  // The first block of seed 0 is 6627e8d5 e169c58d bc57ac4c 9b00dbd8; computed in Python:
  //   uniform       = (0x6627e8d5 >> 8) · 2⁻²⁴                                  = 0.3990464210510254
  //   normal        = √(−2 ln((0x6627e8d5 + 1)·2⁻³²)) · cos(2π · 0xe169c58d·2⁻³²)  = 0.991137683391571
  //   uniformDouble = ((0xe169c58d << 32 | 0x6627e8d5) >> 11) · 2⁻⁵³               = 0.8805201978886142
  @Test("uniform, normal and uniformDouble are the documented functions of the words")
  func definitions() {
    var rng = Philox(seed: 0)
    #expect(rng.uniform() == 0.3990464210510254)
    rng = Philox(seed: 0)
    #expect(isClose(rng.normal(), 0.991137683391571, rtol: 2e-7, atol: 0))
    rng = Philox(seed: 0)
    #expect(rng.uniformDouble() == 0.8805201978886142)
  }

  // Pinned outputs of this implementation: changing one changes every seeded run (and every
  // checkpoint's continuation), so a failure here means a deliberate, announced change.
  @Test("seed 42's permutation, integers, categorical draws and fork key are pinned")
  func pinned() throws {
    var rng = Philox(seed: 42)
    #expect(rng.permutation(10) == [0, 9, 1, 7, 5, 6, 8, 2, 3, 4])
    rng = Philox(seed: 42)
    #expect((0..<5).map { _ in rng.integer(below: 1000) } == [468, 340, 327, 454, 658])
    rng = Philox(seed: 42)
    #expect(try (0..<5).map { _ in try rng.categorical(logits: [0, 1, 2]) } == [2, 2, 1, 2, 2])
    #expect(Philox(seed: 42).fork(stream: 1).key == 14_567_496_884_117_690_960)
  }

  // MARK: - Reproducibility and streams

  @Test("the same seed and stream give the same bits")
  func sameSeedSameBits() {
    var a = Philox(seed: 42, stream: 3)
    var b = Philox(seed: 42, stream: 3)
    #expect((0..<1000).map { _ in a.next() } == (0..<1000).map { _ in b.next() })
  }

  @Test("different streams and seeds give different bits")
  func differentStreams() {
    let draws = { (rng: Philox) -> [UInt32] in
      var rng = rng
      return (0..<64).map { _ in rng.next() }
    }
    let base = draws(Philox(seed: 42))
    #expect(draws(Philox(seed: 42, stream: 1)) != base)
    #expect(draws(Philox(seed: 43)) != base)
    // Stream 1 is not stream 0 shifted: no 4-word block of one appears in the other.
    let other = draws(Philox(seed: 42, stream: 1))
    #expect(Set(stride(from: 0, to: 64, by: 4).map { base[$0] }).isDisjoint(with: other))
  }

  @Test("forks are deterministic, differ from the parent and from each other, and nest")
  func forks() {
    let root = Philox(seed: 2024)
    var parentCopy = root
    _ = parentCopy.next64()
    // Advancing a generator does not change its children.
    #expect(parentCopy.fork(stream: 1) == root.fork(stream: 1))
    var env = root.fork(stream: 1)
    var sampling = root.fork(stream: 2)
    var same = root
    let a = (0..<16).map { _ in env.next() }
    #expect(a != (0..<16).map { _ in sampling.next() })
    #expect(a != (0..<16).map { _ in same.next() })
    // A grandchild differs from the child of the same number at the root.
    #expect(root.fork(stream: 1).fork(stream: 2).key != root.fork(stream: 2).key)
    #expect(Philox(seed: 2024, stream: 1).fork(stream: 1).key != root.fork(stream: 1).key)
  }

  @Test("state restores the exact position", arguments: [0, 1, 3, 4, 5, 11])
  func stateRoundTrip(drawn: Int) {
    var rng = Philox(seed: 99, stream: 5)
    for _ in 0..<drawn { _ = rng.next() }
    #expect(rng.state.position == UInt64(drawn))
    var restored = Philox(state: rng.state)
    #expect(restored == rng)
    #expect((0..<9).map { _ in restored.next() } == (0..<9).map { _ in rng.next() })
  }

  // MARK: - Distributions

  @Test("uniform mean and variance on 100k draws are within 4 standard errors")
  func uniformMoments() {
    var rng = Philox(seed: 1)
    let n = 100_000
    let xs = (0..<n).map { _ in Double(rng.uniform()) }
    #expect(xs.allSatisfy { $0 >= 0 && $0 < 1 })
    let (mean, variance) = moments(xs)
    // SE(mean) = √(1/12 / n) = 0.000913; SE(var) = √((1/80 − 1/144) / n) = 0.000236.
    #expect(abs(mean - 0.5) < 4 * 0.000913)
    #expect(abs(variance - 1.0 / 12) < 4 * 0.000236)
  }

  @Test("uniform in a range stays in the range")
  func uniformRange() {
    var rng = Philox(seed: 2)
    let xs = (0..<10_000).map { _ in rng.uniform(in: -3...5) }
    #expect(xs.allSatisfy { $0 >= -3 && $0 <= 5 })
    #expect(xs.min()! < -2.99 && xs.max()! > 4.99)
  }

  @Test("normal mean, variance and kurtosis on 100k draws are within 4 standard errors")
  func normalMoments() {
    var rng = Philox(seed: 3)
    let n = 100_000
    let xs = (0..<n).map { _ in Double(rng.normal()) }
    #expect(xs.allSatisfy { $0.isFinite })
    let (mean, variance) = moments(xs)
    let fourth = xs.reduce(0) { $0 + pow($1 - mean, 4) } / Double(n)
    // SE(mean) = 1/√n = 0.00316; SE(var) = √(2/n) = 0.00447; SE(E[x⁴]) = √(96/n) = 0.031.
    #expect(abs(mean) < 4 * 0.00316)
    #expect(abs(variance - 1) < 4 * 0.00447)
    #expect(abs(fourth - 3) < 4 * 0.031)
    var scaled = Philox(seed: 3)
    #expect(isClose(Double(scaled.normal(mean: 2, std: 0.5)), 2 + 0.5 * xs[0], rtol: 1e-6, atol: 1e-6))
  }

  @Test("bulk fills equal the same number of single draws")
  func fills() {
    var bulk = Philox(seed: 11)
    var single = bulk
    var buffer = [Float](repeating: 0, count: 37)
    buffer.withUnsafeMutableBufferPointer { bulk.fill(uniform: $0.baseAddress!, count: 37, low: -1, high: 2) }
    #expect(buffer == (0..<37).map { _ in single.uniform(low: -1, high: 2) })
    buffer.withUnsafeMutableBufferPointer { bulk.fill(normal: $0.baseAddress!, count: 37, mean: 1, std: 3) }
    #expect(buffer == (0..<37).map { _ in single.normal(mean: 1, std: 3) })
    #expect(bulk == single)
  }

  @Test("random tensors have the shape and the draws of the generator")
  func tensors() {
    var rng = Philox(seed: 12)
    var replay = rng
    let u = Tensor.uniform(shape: [3, 4], low: -2, high: 2, rng: &rng)
    let z = Tensor.normal(shape: [5], mean: 1, std: 0.1, rng: &rng)
    #expect(u.shape == [3, 4] && z.shape == [5])
    #expect(u.scalars == (0..<12).map { _ in replay.uniform(low: -2, high: 2) })
    #expect(z.scalars == (0..<5).map { _ in replay.normal(mean: 1, std: 0.1) })
  }

  @Test("categorical frequencies match the probabilities within 4 standard errors")
  func categoricalFrequencies() throws {
    var rng = Philox(seed: 4)
    let probabilities: [Float] = [0.1, 0, 0.2, 0.3, 0.4]
    let logits = probabilities.map { Foundation.log($0) + 5 }  // log 0 = −∞: masked
    let n = 100_000
    var byProbability = [Int](repeating: 0, count: 5)
    var byLogit = [Int](repeating: 0, count: 5)
    for _ in 0..<n {
      byProbability[try rng.categorical(probabilities: probabilities)] += 1
      byLogit[try rng.categorical(logits: logits)] += 1
    }
    for (i, p) in probabilities.enumerated() {
      let expected = Double(n) * Double(p)
      let se = (Double(n) * Double(p) * (1 - Double(p))).squareRoot()
      #expect(abs(Double(byProbability[i]) - expected) <= 4 * se, "class \(i): \(byProbability[i]) vs \(expected)")
      #expect(abs(Double(byLogit[i]) - expected) <= 4 * se, "class \(i): \(byLogit[i]) vs \(expected)")
    }
    #expect(byProbability[1] == 0 && byLogit[1] == 0)
  }

  @Test("categorical accepts unnormalized weights and rejects invalid ones")
  func categoricalValidation() throws {
    var rng = Philox(seed: 5)
    #expect(try rng.categorical(probabilities: [0, 0, 7]) == 2)
    #expect(try rng.categorical(logits: [-.infinity, 3, -.infinity]) == 1)
    #expect(throws: CoreError.invalidArgument(op: "categorical", reason: "probability -1.0 is negative or not finite")) {
      try rng.categorical(probabilities: [0.5, -1])
    }
    #expect(throws: CoreError.invalidArgument(op: "categorical", reason: "probabilities sum to 0 over 2 classes")) {
      try rng.categorical(probabilities: [0, 0])
    }
    #expect(throws: CoreError.invalidArgument(op: "categorical", reason: "logit nan is NaN or +infinity")) {
      try rng.categorical(logits: [0, .nan])
    }
    #expect(throws: CoreError.invalidArgument(op: "categorical", reason: "no classes")) {
      try rng.categorical(logits: [])
    }
  }

  @Test("integer(below:) is uniform over its range")
  func integers() {
    var rng = Philox(seed: 6)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[rng.integer(below: 7)] += 1 }
    // Each count ~ Binomial(70000, 1/7): mean 10000, sd 92.6.
    #expect(counts.allSatisfy { abs($0 - 10_000) < 4 * 93 })
  }

  @Test("permutation is a permutation and is seed-stable")
  func permutations() {
    var a = Philox(seed: 8)
    var b = Philox(seed: 8)
    var c = Philox(seed: 9)
    let p = a.permutation(100)
    #expect(p.sorted() == Array(0..<100))
    #expect(p == b.permutation(100))
    #expect(p != c.permutation(100))
    #expect(p != Array(0..<100))
    #expect(a.permutation(0).isEmpty && a.permutation(1) == [0])
  }

  private func moments(_ xs: [Double]) -> (mean: Double, variance: Double) {
    let mean = xs.reduce(0, +) / Double(xs.count)
    let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count)
    return (mean, variance)
  }
}
