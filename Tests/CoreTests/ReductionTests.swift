import Core
import Foundation
import Testing
import TestSupport

@Suite struct ReductionTests {
  /// Reduces x viewed as [outer, extent, inner] with the SIMD kernel.
  static func reduced(_ kind: Reduction.Kind, _ x: [Float], _ outer: Int, _ extent: Int, _ inner: Int) -> [Float] {
    var y = [Float](repeating: 0, count: outer * inner)
    x.withUnsafeBufferPointer { xs in
      y.withUnsafeMutableBufferPointer {
        Reduction.reduce(kind, xs.baseAddress!, outer: outer, extent: extent, inner: inner, into: $0.baseAddress!)
      }
    }
    return y
  }

  /// The straightforward Double loop.
  static func reference(_ kind: Reduction.Kind, _ x: [Float], _ outer: Int, _ extent: Int, _ inner: Int) -> [Float] {
    (0..<outer * inner).map { index in
      let (o, i) = (index / inner, index % inner)
      let column = (0..<extent).map { Double(x[(o * extent + $0) * inner + i]) }
      return Float(kind == .sum ? column.reduce(0, +) : (column.max() ?? -.infinity))
    }
  }

  // [[1, 2, 3], [4, 5, 6]]: rows 1+2+3 = 6, 4+5+6 = 15; columns 5, 7, 9; maxima 3, 6 and 4, 5, 6.
  @Test("hand-computed sums and maxima over either axis")
  func handComputed() {
    let x: [Float] = [1, 2, 3, 4, 5, 6]
    #expect(Self.reduced(.sum, x, 2, 3, 1) == [6, 15])
    #expect(Self.reduced(.sum, x, 1, 2, 3) == [5, 7, 9])
    #expect(Self.reduced(.max, x, 2, 3, 1) == [3, 6])
    #expect(Self.reduced(.max, x, 1, 2, 3) == [4, 5, 6])
  }

  @Test("random layouts match the Double loop", arguments: Reduction.Kind.allCases)
  func randomized(_ kind: Reduction.Kind) {
    var rng = LCG(seed: 99)
    for (outer, extent, inner) in [(1, 0, 1), (3, 0, 5), (1, 1, 1), (2, 7, 1), (3, 15, 1), (1, 17, 1), (2, 33, 1),
                                   (1, 1000, 1), (1, 5000, 1), (2, 7, 3), (3, 17, 15), (2, 33, 17), (1, 300, 70),
                                   (2, 5, 1000)] {
      let x = rng.array(outer * extent * inner, -1, 1)
      let y = Self.reduced(kind, x, outer, extent, inner)
      let expected = Self.reference(kind, x, outer, extent, inner)
      // NOTE: sums of ±1 cancel, so the error is judged against the terms (Float partial sums
      // of ≤ 64 terms: ~64·2⁻²⁴ ≈ 4e−6), not against the small result.
      #expect(allClose(y, expected, rtol: 1e-6, atol: 4e-6),
              "\(kind) [\(outer), \(extent), \(inner)]: \(firstMismatch(y, expected, rtol: 1e-6, atol: 4e-6) ?? "")")
    }
  }

  @Test("a long sum stays accurate: 10⁶ copies of 0.1")
  func longSum() {
    // Float(0.1) = 0.100000001490116…, so the exact sum is 100000.0015 → Float 100000.0.
    let y = Self.reduced(.sum, [Float](repeating: 0.1, count: 1_000_000), 1, 1_000_000, 1)
    #expect(y == [100_000])
  }

  @Test("max propagates NaN wherever it sits; empty axes give 0 and −inf")
  func specials() {
    for position in [0, 5, 16, 40, 64, 99] {
      var x = [Float](repeating: 1, count: 100)
      x[position] = .nan
      #expect(Self.reduced(.max, x, 1, 100, 1)[0].isNaN, "NaN at \(position)")
      #expect(Self.reduced(.max, x, 1, 1, 100)[position].isNaN)
    }
    #expect(Self.reduced(.max, [-.infinity, -.infinity], 1, 2, 1) == [-.infinity])
    #expect(Self.reduced(.sum, [], 2, 0, 1) == [0, 0])
    #expect(Self.reduced(.max, [], 2, 0, 1) == [-.infinity, -.infinity])
  }
}

@Suite struct TensorReduceTests {
  let x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
  let mask = Tensor(shape: [2, 3], scalars: [1, 1, 0, 0, 0, 0])

  // Row means (1+2+3)/3 = 2, (4+5+6)/3 = 5; masked: (1+2)/2 = 1.5, and the fully masked row 0.
  @Test("sum and mean, masked and not, with the axis removed from the shape")
  func sumMean() throws {
    #expect(try x.sum(axis: 1).scalars == [6, 15])
    #expect(try x.sum(axis: -2) == Tensor(shape: [3], scalars: [5, 7, 9]))
    #expect(try x.mean(axis: -1).scalars == [2, 5])
    #expect(try x.sum(axis: 1, mask: mask).scalars == [3, 0])
    #expect(try x.mean(axis: 1, mask: mask).scalars == [1.5, 0])
    #expect(try x.sum(axis: 0).shape == [3])
  }

  @Test("a masked-out NaN is ignored; weights scale entries")
  func maskedNaN() throws {
    let withNaN = Tensor(shape: [3], scalars: [1, .nan, 3])
    let keep = Tensor(shape: [3], scalars: [1, 0, 1])
    #expect(try withNaN.sum(axis: 0, mask: keep).scalars == [4])
    #expect(try withNaN.max(axis: 0, mask: keep).scalars == [3])
    #expect(try withNaN.max(axis: 0).scalar.isNaN)
    // Weighted mean (0.5·2 + 1·4)/(0.5 + 1) = 5/1.5 = 3.3333333
    let weighted = try Tensor(shape: [2], scalars: [2, 4]).mean(axis: 0, mask: Tensor(shape: [2], scalars: [0.5, 1]))
    #expect(isClose(weighted.scalar, 3.3333333))
  }

  @Test("max ignores masked entries; an all-masked row gives −inf")
  func maskedMax() throws {
    #expect(try x.max(axis: 1, mask: mask).scalars == [2, -.infinity])
    #expect(try x.max(axis: 0).scalars == [4, 5, 6])
  }

  // log(e¹ + e² + e³) = 3 + log(e⁻² + e⁻¹ + 1) = 3 + log(1.5032147) = 3.4076059;
  // masked: log(e¹ + e²) = 2 + log(1 + e⁻¹) = 2.3132617.
  @Test("logSumExp is stable and masked")
  func logSumExp() throws {
    let lse = try x.logSumExp(axis: 1)
    #expect(isClose(lse.scalars[0], 3.4076059) && isClose(lse.scalars[1], 6.4076059))
    let masked = try x.logSumExp(axis: 1, mask: mask)
    #expect(isClose(masked.scalars[0], 2.3132617) && masked.scalars[1] == -.infinity)
    let huge = try Tensor(shape: [2], scalars: [1000, 1000]).logSumExp(axis: 0)
    #expect(isClose(huge.scalar, 1000.6931))  // 1000 + log 2
    #expect(try Tensor(shape: [2], scalars: [-.infinity, -.infinity]).logSumExp(axis: 0).scalar == -.infinity)
  }

  // Row [1, 2, 3]: mean 2, squared deviations 1 + 0 + 1 = 2: unbiased 2/2 = 1, biased 2/3.
  @Test("variance: unbiased flag, masks, and NaN when n − 1 ≤ 0")
  func variance() throws {
    #expect(try x.variance(axis: 1).scalars == [1, 1])
    #expect(isClose(try x.variance(axis: 1, unbiased: false).scalars[0], 2.0 / 3))
    // Masked row [1, 2]: mean 1.5, deviations 0.25 + 0.25 = 0.5: unbiased 0.5, biased 0.25.
    let masked = try x.variance(axis: 1, mask: mask)
    #expect(masked.scalars[0] == 0.5 && masked.scalars[1].isNaN)
    #expect(try x.variance(axis: 1, mask: mask, unbiased: false).scalars[0] == 0.25)
    let single = Tensor(shape: [2, 3], scalars: [1, 0, 0, 0, 0, 0])
    #expect(try x.variance(axis: 1, mask: single).scalars[0].isNaN)
    #expect(try x.variance(axis: 1, mask: single, unbiased: false).scalars[0] == 0)
  }

  @Test("randomized masked mean and variance against a Double loop")
  func randomizedMasked() throws {
    var rng = LCG(seed: 2024)
    let (rows, cols) = (5, 1000)
    let values = rng.array(rows * cols, -3, 3)
    let weights = (0..<rows * cols).map { _ in rng.next(0, 1) < 0.3 ? Float(0) : 1 }
    let x = Tensor(shape: [rows, cols], scalars: values), m = Tensor(shape: [rows, cols], scalars: weights)
    let means = try x.mean(axis: 1, mask: m).scalars, variances = try x.variance(axis: 1, mask: m).scalars
    for r in 0..<rows {
      let kept = (0..<cols).filter { weights[r * cols + $0] != 0 }.map { Double(values[r * cols + $0]) }
      let mean = kept.reduce(0, +) / Double(kept.count)
      let variance = kept.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(kept.count - 1)
      #expect(isClose(Double(means[r]), mean, rtol: 1e-6, atol: 1e-7))
      #expect(isClose(Double(variances[r]), variance, rtol: 1e-6))
    }
  }

  @Test("strided and contiguous masked paths agree (axis 0 vs the transpose's last axis)")
  func stridedMatchesContiguous() throws {
    var rng = LCG(seed: 77)
    let (rows, cols) = (37, 19)
    let values = rng.array(rows * cols, -5, 5)
    // Column 3 fully masked, the rest about 70% kept.
    let weights = (0..<rows * cols).map { $0 % cols == 3 || rng.next(0, 1) < 0.3 ? Float(0) : 1 }
    func transposed(_ a: [Float]) -> [Float] { (0..<rows * cols).map { a[($0 % rows) * cols + $0 / rows] } }
    let x = Tensor(shape: [rows, cols], scalars: values), m = Tensor(shape: [rows, cols], scalars: weights)
    let xt = Tensor(shape: [cols, rows], scalars: transposed(values))
    let mt = Tensor(shape: [cols, rows], scalars: transposed(weights))
    let pairs: [(String, Tensor, Tensor)] = [
      ("sum", try x.sum(axis: 0, mask: m), try xt.sum(axis: 1, mask: mt)),
      ("mean", try x.mean(axis: 0, mask: m), try xt.mean(axis: 1, mask: mt)),
      ("max", try x.max(axis: 0, mask: m), try xt.max(axis: 1, mask: mt)),
      ("logSumExp", try x.logSumExp(axis: 0, mask: m), try xt.logSumExp(axis: 1, mask: mt)),
      ("variance", try x.variance(axis: 0, mask: m), try xt.variance(axis: 1, mask: mt)),
      ("logSumExp unmasked", try x.logSumExp(axis: 0), try xt.logSumExp(axis: 1)),
      ("variance biased", try x.variance(axis: 0, unbiased: false), try xt.variance(axis: 1, unbiased: false)),
    ]
    for (name, strided, contiguous) in pairs {
      #expect(strided.shape == [cols])
      // The fully masked column: 0 for sum and mean, −inf for max and logSumExp, NaN for variance.
      let a = strided.scalars, b = contiguous.scalars
      #expect(a[3].bitPattern == b[3].bitPattern || (a[3].isNaN && b[3].isNaN), "\(name) masked column")
      let finite = (0..<cols).filter { a[$0].isFinite }
      #expect(allClose(finite.map { a[$0] }, finite.map { b[$0] }, rtol: 2e-6, atol: 1e-6), "\(name)")
    }
  }

  @Test("axis and mask errors")
  func errors() {
    #expect(throws: CoreError.invalidAxis(op: "sum", axis: 2, shape: [2, 3])) { try x.sum(axis: 2) }
    #expect(throws: CoreError.invalidAxis(op: "mean", axis: -3, shape: [2, 3])) { try x.mean(axis: -3) }
    #expect(throws: CoreError.invalidAxis(op: "max", axis: 0, shape: .scalar)) { try Tensor(scalar: 1).max(axis: 0) }
    #expect(throws: CoreError.shapeMismatch(op: "variance", shapes: [[2, 3], [3, 2]],
                                            reason: "the mask must have the tensor's shape")) {
      try x.variance(axis: 1, mask: Tensor(zeros: [3, 2]))
    }
    #expect(throws: CoreError.self) { try x.logSumExp(axis: 0, mask: Tensor(zeros: [6])) }
  }
}
