import Core
import Foundation
@testable import Optim
import Testing
import TestSupport

@Suite struct InitializerTests {
  /// Mean and (population) variance of a tensor's elements, in Double.
  private func moments(_ tensor: Tensor) -> (mean: Double, variance: Double) {
    let xs = tensor.scalars.map(Double.init)
    let mean = xs.reduce(0, +) / Double(xs.count)
    return (mean, xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count))
  }

  /// max |(M Mᵀ or Mᵀ M) − gain²·I| for a rows × cols matrix, over the smaller side.
  private func orthogonalityError(_ tensor: Tensor, gain: Double) -> Double {
    let rows = tensor.shape[0]
    let cols = tensor.count / rows
    let m = tensor.scalars.map(Double.init)
    let side = min(rows, cols)
    var worst = 0.0
    for a in 0..<side {
      for b in 0..<side {
        var dot = 0.0
        if rows >= cols {
          for i in 0..<rows { dot += m[i * cols + a] * m[i * cols + b] }  // (MᵀM)[a, b]
        } else {
          for j in 0..<cols { dot += m[a * cols + j] * m[b * cols + j] }  // (MMᵀ)[a, b]
        }
        worst = max(worst, abs(dot - (a == b ? gain * gain : 0)))
      }
    }
    return worst
  }

  @Test("orthogonal gives QᵀQ = gain²·I or QQᵀ = gain²·I",
        arguments: zip([[64, 32], [16, 48], [24, 24], [8, 2, 3, 3], [1, 5]] as [Shape], [Double(2).squareRoot(), 1, 0.01, 1, 1]))
  func orthogonal(shape: Shape, gain: Double) throws {
    var rng = Philox(seed: 17)
    let q = try Initializer.orthogonal(gain: Float(gain)).tensor(shape: shape, rng: &rng)
    #expect(q.shape == shape)
    #expect(orthogonalityError(q, gain: gain) < 1e-5 * max(gain * gain, 1))
  }

  // torch 2.15 (float64): a = [[((i·cols + j)·7 % 11 − 5)/3]]; q, r = torch.linalg.qr(a or aᵀ);
  // q *= diag(r).sign(); transposed back when rows < cols. For 4 × 3, torch's R has a negative
  // diagonal entry, so this checks the sign convention, not just orthogonality.
  @Test("the orthogonal factor matches torch.linalg.qr with torch's sign fix",
        arguments: zip([(4, 3), (2, 4)], [
          [-0.5773502691896257, 0.6464998093226569, -0.4987029809540296, 0.5773502691896258, 0.6758861642918685,
           0.20779290873084563, 0.4618802153517006, 0.18807267180295456, -0.2909100722231839, 0.34641016151377546,
           -0.2997408206859591, -0.7896130531772134],
          [-0.656532164298613, 0.26261286571944514, -0.26261286571944514, 0.6565321642986129, -0.1434518053814093,
           -0.5272823116722074, 0.7521527092971195, 0.3683222030063214],
        ]))
  func orthogonalFactorMatchesTorch(size: (rows: Int, cols: Int), expected: [Double]) {
    let a = (0..<size.rows * size.cols).map { Double($0 * 7 % 11 - 5) / 3 }
    let q = Initializer.orthogonalFactor(of: a, rows: size.rows, columns: size.cols)
    #expect(allClose(q, expected, rtol: 1e-12, atol: 1e-12), "\(firstMismatch(q, expected, rtol: 1e-12, atol: 1e-12) ?? "")")
  }

  @Test("orthogonal rejects a vector, as torch does")
  func orthogonalVector() {
    var rng = Philox(seed: 1)
    #expect(throws: OptimError.unsupportedShape(initializer: "orthogonal", shape: [4], reason: "needs at least 2 dimensions")) {
      try Initializer.orthogonal().tensor(shape: [4], rng: &rng)
    }
  }

  @Test("the same seed gives the same tensor, another seed another",
        arguments: [Initializer.orthogonal(gain: 1), .xavierUniform(), .kaimingNormal(), .normal(mean: 0, std: 1)])
  func reproducible(initializer: Initializer) throws {
    var a = Philox(seed: 5)
    var b = Philox(seed: 5)
    var c = Philox(seed: 6)
    let x = try initializer.tensor(shape: [6, 4], rng: &a)
    #expect(x == (try initializer.tensor(shape: [6, 4], rng: &b)))
    #expect(x != (try initializer.tensor(shape: [6, 4], rng: &c)))
  }

  @Test("fans follow torch: [fanOut, fanIn, receptive field…]")
  func fans() throws {
    #expect(try Initializer.fans(of: [64, 4]) == (fanIn: 4, fanOut: 64))
    #expect(try Initializer.fans(of: [5, 3, 2, 2]) == (fanIn: 12, fanOut: 20))
    #expect(throws: OptimError.self) { try Initializer.fans(of: [7]) }
  }

  @Test("gains follow torch.nn.init.calculate_gain",
        arguments: zip([Nonlinearity.linear, .sigmoid, .tanh, .relu, .leakyRelu(negativeSlope: 0.2), .selu],
                       [1, 1, Float(5) / 3, Float(2).squareRoot(), Float(2 / 1.04).squareRoot(), 0.75] as [Float]))
  func gains(nonlinearity: Nonlinearity, expected: Float) {
    #expect(isClose(nonlinearity.gain, expected, rtol: 1e-6))
  }

  // Xavier on [200, 300]: bound a = √(6/500) = 0.109545, variance a²/3 = 0.004;
  // Kaiming (relu, fan_in 400) on [100, 400]: bound √3·√2/√400 = 0.122474, variance 2/400 = 0.005.
  // Relative SE of a uniform sample variance is √(0.8/n): 0.37% for n = 60000, 0.45% for 40000.
  @Test("uniform Xavier and Kaiming stay inside their bound with the right variance",
        arguments: zip([Initializer.xavierUniform(), .kaimingUniform()], [([200, 300], 0.109545), ([100, 400], 0.122474)] as [(Shape, Double)]))
  func uniformBounds(initializer: Initializer, expected: (shape: Shape, bound: Double)) throws {
    var rng = Philox(seed: 8)
    let w = try initializer.tensor(shape: expected.shape, rng: &rng)
    let magnitudes = w.scalars.map { abs(Double($0)) }
    #expect(magnitudes.allSatisfy { $0 <= expected.bound * (1 + 1e-6) })
    #expect(magnitudes.max()! > 0.999 * expected.bound)
    let (mean, variance) = moments(w)
    let target = expected.bound * expected.bound / 3
    let relativeSE = (0.8 / Double(w.count)).squareRoot()
    #expect(abs(variance / target - 1) < 4 * relativeSE, "variance \(variance) vs \(target)")
    #expect(abs(mean) < 4 * (target / Double(w.count)).squareRoot())
  }

  // Xavier normal on [200, 300]: σ = √(2/500) = 0.0632456. Kaiming normal, tanh, fan_out on
  // [100, 400]: σ = (5/3)/√100 = 0.166667. Relative SE of a normal sample variance: √(2/n).
  @Test("normal Xavier and Kaiming have the right standard deviation",
        arguments: zip([Initializer.xavierNormal(), .kaimingNormal(nonlinearity: .tanh, mode: .fanOut)],
                       [([200, 300], 0.0632456), ([100, 400], 0.166667)] as [(Shape, Double)]))
  func normalStd(initializer: Initializer, expected: (shape: Shape, std: Double)) throws {
    var rng = Philox(seed: 9)
    let w = try initializer.tensor(shape: expected.shape, rng: &rng)
    let (mean, variance) = moments(w)
    let target = expected.std * expected.std
    #expect(abs(variance / target - 1) < 4 * (2 / Double(w.count)).squareRoot(), "variance \(variance) vs \(target)")
    #expect(abs(mean) < 4 * expected.std / Double(w.count).squareRoot())
  }

  @Test("zeros, constant, uniform and normal fill as asked")
  func simple() throws {
    var rng = Philox(seed: 10)
    #expect(try Initializer.zeros.tensor(shape: [3], rng: &rng).scalars == [0, 0, 0])
    #expect(try Initializer.constant(0.5).tensor(shape: [2], rng: &rng).scalars == [0.5, 0.5])
    let u = try Initializer.uniform(low: 2, high: 3).tensor(shape: [100], rng: &rng)
    #expect(u.scalars.allSatisfy { $0 >= 2 && $0 <= 3 })
    var replay = rng
    let z = try Initializer.normal(mean: 1, std: 2).tensor(shape: [4], rng: &rng)
    #expect(z == Tensor.normal(shape: [4], mean: 1, std: 2, rng: &replay))
    #expect(throws: OptimError.invalidHyperparameter(name: "std", value: -1, reason: "must be a finite number ≥ 0.0")) {
      try Initializer.normal(mean: 0, std: -1).tensor(shape: [1], rng: &rng)
    }
    #expect(throws: OptimError.unsupportedShape(initializer: "kaiming", shape: [3], reason: "fans need at least 2 dimensions [fanOut, fanIn, …]")) {
      try Initializer.kaimingUniform().tensor(shape: [3], rng: &rng)
    }
  }
}
