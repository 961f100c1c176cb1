import Core
import TestSupport
import Testing

/// A small deterministic generator of test data in [-1, 1).
struct MatmulRandom {
  var state: UInt64

  mutating func next() -> Float {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Float(state >> 40) / Float(1 << 24) * 2 - 1
  }

  mutating func floats(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

/// One sgemm problem: sizes, transposes and how much padding each leading dimension carries.
struct SgemmProblem: CustomTestStringConvertible {
  var m: Int, n: Int, k: Int
  var transposeA = false, transposeB = false
  var padding = 0
  var accumulate = false

  var testDescription: String {
    "\(transposeA ? "T" : "N")\(transposeB ? "T" : "N") m=\(m) n=\(n) k=\(k) pad=\(padding)\(accumulate ? " acc" : "")"
  }

  /// Stored rows and leading dimension of A, B and C.
  var aRows: Int { transposeA ? k : m }
  var lda: Int { (transposeA ? m : k) + padding }
  var bRows: Int { transposeB ? n : k }
  var ldb: Int { (transposeB ? k : n) + padding }
  var ldc: Int { n + padding }

  /// op(A)[i, p] and op(B)[p, j] read from the stored arrays.
  func opA(_ a: [Float], _ i: Int, _ p: Int) -> Double { Double(transposeA ? a[p * lda + i] : a[i * lda + p]) }
  func opB(_ b: [Float], _ p: Int, _ j: Int) -> Double { Double(transposeB ? b[j * ldb + p] : b[p * ldb + j]) }

  /// Random stored operands (NaN in the padding, which must never be read) and a C filled
  /// with random values (kept when accumulating) and 7 in its padding (which must survive).
  func operands(seed: UInt64) -> (a: [Float], b: [Float], c: [Float]) {
    var rng = MatmulRandom(state: seed)
    func matrix(rows: Int, width: Int, ld: Int, pad: Float) -> [Float] {
      var values = [Float](repeating: pad, count: max(rows * ld, 1))
      for r in 0..<rows { for col in 0..<width { values[r * ld + col] = rng.next() } }
      return values
    }
    return (matrix(rows: aRows, width: lda - padding, ld: lda, pad: .nan),
            matrix(rows: bRows, width: ldb - padding, ld: ldb, pad: .nan),
            matrix(rows: m, width: n, ld: ldc, pad: 7))
  }

  /// C computed by `Matmul.sgemm`.
  func run(_ a: [Float], _ b: [Float], _ c: [Float]) -> [Float] {
    var c = c
    Matmul.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda,
                 b: b, ldb: ldb, c: &c, ldc: ldc, accumulate: accumulate)
    return c
  }

  /// C computed by a triple loop in Double.
  func reference(_ a: [Float], _ b: [Float], _ c: [Float]) -> [Double] {
    var expected = c.map(Double.init)
    for i in 0..<m {
      for j in 0..<n {
        var sum = accumulate ? Double(c[i * ldc + j]) : 0
        for p in 0..<k { sum += opA(a, i, p) * opB(b, p, j) }
        expected[i * ldc + j] = sum
      }
    }
    return expected
  }
}

@Suite struct MatmulTests {
  // [1 2 3; 4 5 6] · [7 8; 9 10; 11 12]:
  //   row 0: 1·7 + 2·9 + 3·11 = 58,   1·8 + 2·10 + 3·12 = 64
  //   row 1: 4·7 + 5·9 + 6·11 = 139,  4·8 + 5·10 + 6·12 = 154
  @Test("a 2×3 times 3×2 product by hand")
  func handComputed() throws {
    let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
    let c = try a.matmul(b)
    #expect(c.shape == [2, 2])
    #expect(c.scalars == [58, 64, 139, 154])
  }

  static let sizes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (3, 3, 3), (17, 17, 17), (33, 33, 33), (65, 65, 65), (129, 129, 129),
    (7, 130, 5), (130, 7, 5), (5, 7, 130), (1, 65, 33), (65, 1, 129), (33, 129, 1),
    (9, 33, 400), (40, 400, 50), (70, 31, 777), (128, 3, 64), (257, 15, 9), (64, 4, 128), (37, 2, 19), (1, 1, 100),
  ]

  static let problems: [SgemmProblem] = sizes.enumerated().flatMap { index, size in
    [(false, false), (true, false), (false, true), (true, true)].map { transposeA, transposeB in
      SgemmProblem(m: size.m, n: size.n, k: size.k, transposeA: transposeA, transposeB: transposeB,
              padding: index % 3 == 1 ? 0 : index % 3 + 2, accumulate: index % 2 == 1)
    }
  }

  @Test("sgemm matches a Double triple loop", arguments: problems)
  func matchesReference(problem: SgemmProblem) {
    let (a, b, c) = problem.operands(seed: UInt64(problem.m * 1_000_003 + problem.n * 1_009 + problem.k))
    let got = problem.run(a, b, c)
    let expected = problem.reference(a, b, c)
    let atol = 1e-6 * Double(problem.k + 1)
    #expect(firstMismatch(got.map(Double.init), expected, rtol: 1e-5, atol: atol) == nil)
  }

  @Test("overwrite and accumulate both work on the same data", arguments: [false, true])
  func accumulateFlag(accumulate: Bool) {
    let problem = SgemmProblem(m: 20, n: 45, k: 12, padding: 3, accumulate: accumulate)
    let (a, b, c) = problem.operands(seed: 42)
    let got = problem.run(a, b, c)
    #expect(firstMismatch(got.map(Double.init), problem.reference(a, b, c), rtol: 1e-5, atol: 1e-5) == nil)
  }

  @Test("k = 0 clears C, or leaves it alone when accumulating", arguments: [false, true])
  func emptyDepth(accumulate: Bool) {
    var c: [Float] = [1, 2, 3, 4]
    let none: [Float] = [0]
    Matmul.sgemm(transposeA: false, transposeB: false, m: 2, n: 2, k: 0, a: none, lda: 1, b: none, ldb: 2,
                 c: &c, ldc: 2, accumulate: accumulate)
    #expect(c == (accumulate ? [1, 2, 3, 4] : [0, 0, 0, 0]))
  }

  /// Element strides between consecutive A and B of a 5-entry batch of 12×20 · 20×9 products.
  static let batchStrides: [(a: Int, b: Int, accumulate: Bool)] = [
    (0, 20 * 9, false), (12 * 20, 0, true), (12 * 20, 20 * 9, false), (0, 0, true),
  ]

  @Test("batched products with broadcast strides match one sgemm per entry", arguments: batchStrides)
  func batchedBroadcast(strides: (a: Int, b: Int, accumulate: Bool)) {
    let (batch, m, n, k, accumulate) = (5, 12, 9, 20, strides.accumulate)
    var rng = MatmulRandom(state: 7)
    let a = rng.floats(batch * m * k), b = rng.floats(batch * k * n), start = rng.floats(batch * m * n)
    var got = start
    Matmul.batched(batch: batch, transposeA: false, transposeB: false, m: m, n: n, k: k,
                   a: a, strideA: strides.a, lda: k, b: b, strideB: strides.b, ldb: n,
                   c: &got, strideC: m * n, ldc: n, accumulate: accumulate)
    for t in 0..<batch {
      let problem = SgemmProblem(m: m, n: n, k: k, accumulate: accumulate)
      let entryA = Array(a[(t * strides.a)...].prefix(m * k)), entryB = Array(b[(t * strides.b)...].prefix(k * n))
      let expected = problem.reference(entryA, entryB, Array(start[(t * m * n)..<((t + 1) * m * n)]))
      #expect(firstMismatch(Array(got[(t * m * n)..<((t + 1) * m * n)]).map(Double.init), expected,
                            rtol: 1e-5, atol: 1e-5) == nil, "batch entry \(t)")
    }
  }

  @Test("a batch split over threads gives the bits of the same products one by one")
  func batchedBitwise() {
    let (batch, m, n, k) = (64, 33, 40, 48)
    var rng = MatmulRandom(state: 11)
    let a = rng.floats(batch * m * k), b = rng.floats(k * n)
    var together = [Float](repeating: 0, count: batch * m * n)
    Matmul.batched(batch: batch, transposeA: false, transposeB: true, m: m, n: n, k: k,
                   a: a, strideA: m * k, lda: k, b: b, strideB: 0, ldb: k,
                   c: &together, strideC: m * n, ldc: n, accumulate: false)
    var oneByOne = [Float](repeating: 0, count: batch * m * n)
    for t in 0..<batch {
      a.withUnsafeBufferPointer { a in
        oneByOne.withUnsafeMutableBufferPointer { c in
          Matmul.sgemm(transposeA: false, transposeB: true, m: m, n: n, k: k, a: a.baseAddress! + t * m * k, lda: k,
                       b: b, ldb: k, c: c.baseAddress! + t * m * n, ldc: n, accumulate: false)
        }
      }
    }
    #expect(together == oneByOne)
  }

  /// Products big enough to be split over threads (by rows when m ≥ n, else by columns).
  static let splitProducts: [(a: Bool, b: Bool, m: Int, n: Int, k: Int)] = [
    (false, false, 72, 72, 600), (true, false, 72, 72, 600), (false, true, 72, 72, 600),
    (true, true, 72, 72, 600), (false, false, 12, 160, 400), (true, true, 12, 160, 400),
  ]

  // NOTE: each product is at least 1.5 MFLOP, so it is split over every core; single rows and
  // single columns stay below the 256 kFLOP threading threshold, so each runs on one thread.
  @Test("a product split over threads gives the bits of the same product computed in pieces",
        arguments: splitProducts)
  func partitionIndependent(transposes: (a: Bool, b: Bool, m: Int, n: Int, k: Int)) {
    let (m, n, k) = (transposes.m, transposes.n, transposes.k)
    var rng = MatmulRandom(state: 3)
    let a = rng.floats(m * k), b = rng.floats(k * n)
    let lda = transposes.a ? m : k, ldb = transposes.b ? k : n
    var whole = [Float](repeating: 0, count: m * n)
    Matmul.sgemm(transposeA: transposes.a, transposeB: transposes.b, m: m, n: n, k: k, a: a, lda: lda,
                 b: b, ldb: ldb, c: &whole, ldc: n, accumulate: false)
    var byRows = [Float](repeating: 0, count: m * n)
    var byColumns = [Float](repeating: 0, count: m * n)
    a.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        let a = a.baseAddress!, b = b.baseAddress!
        byRows.withUnsafeMutableBufferPointer { c in
          for i0 in 0..<m {
            Matmul.sgemm(transposeA: transposes.a, transposeB: transposes.b, m: 1, n: n, k: k,
                         a: transposes.a ? a + i0 : a + i0 * lda, lda: lda, b: b, ldb: ldb,
                         c: c.baseAddress! + i0 * n, ldc: n, accumulate: false)
          }
        }
        byColumns.withUnsafeMutableBufferPointer { c in
          for j0 in 0..<n {
            Matmul.sgemm(transposeA: transposes.a, transposeB: transposes.b, m: m, n: 1, k: k,
                         a: a, lda: lda, b: transposes.b ? b + j0 * ldb : b + j0, ldb: ldb,
                         c: c.baseAddress! + j0, ldc: n, accumulate: false)
          }
        }
      }
    }
    #expect(whole == byRows)
    #expect(whole == byColumns)
  }
}

@Suite struct ParallelTests {
  @Test("every chunk runs exactly once", arguments: [0, 1, 2, 5, 64])
  func eachChunkOnce(chunks: Int) {
    var counts = [Int](repeating: 0, count: chunks)
    counts.withUnsafeMutableBufferPointer { counts in
      let base = counts.baseAddress
      Parallel.forEach(chunks) { base![$0] += 1 }
    }
    #expect(counts == [Int](repeating: 1, count: chunks))
    #expect(Parallel.coreCount >= 1)
  }
}
