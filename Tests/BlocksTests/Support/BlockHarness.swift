import Blocks
import Core
import Expr
import Graph
import Testing
import TestSupport

/// A small policy batch for block tests: rows × tokens, left-aligned masks, named inputs.
struct TestBatch {
  var groups: [Int]
  var mask: [[Double]]
  var inputs: [PolicyBatch.Input: [Double]] = [:]
  /// V of the whole-distribution inputs (`logp_full`, …); 0 without them.
  var vocabulary = 0

  var rows: Int { groups.count }
  var tokens: Int { mask.first?.count ?? 0 }
  var flatMask: [Double] { mask.flatMap { $0 } }

  /// Random inputs (all of them) with `lengths` real tokens per row; masked positions hold NaN.
  static func random(groups: [Int], lengths: [Int], tokens: Int, seed: UInt64) -> TestBatch {
    var random = TestRandom(seed: seed)
    let mask = lengths.map { n in (0..<tokens).map { $0 < n ? 1.0 : 0.0 } }
    var batch = TestBatch(groups: groups, mask: mask)
    let flat = mask.flatMap { $0 }
    for input in PolicyBatch.Input.allCases where input != .tokenReward && input != .rolloutLogp && !input.isOverVocabulary {
      if input.isPerSequence {
        batch.inputs[input] = random.integers(groups.count, below: 3).map { Double($0) / 2 }
      } else {
        let low = [.values, .valuePred].contains(input) ? -1.0 : input == .entropy ? 0.1 : -2.5
        let high = [.values, .valuePred].contains(input) ? 1.0 : input == .entropy ? 2.0 : -0.5
        batch.inputs[input] = zip(random.uniforms(flat.count, low, high), flat).map { $1 == 1 ? $0 : .nan }
      }
    }
    // Keep the ratio near 1 so most tokens sit inside the clip range.
    let logp = batch.inputs[.logp] ?? []
    batch.inputs[.oldLogp] = zip(logp, random.uniforms(flat.count, -0.3, 0.3)).map { $0 + $1 }
    return batch
  }

  func tensors() -> [String: DoubleTensor] {
    var result = ["mask": DoubleTensor(shape: [rows, tokens], values: flatMask)]
    for (input, values) in inputs {
      result[input.rawValue] = DoubleTensor(shape: input.shape(rows: rows, tokens: tokens, vocabulary: vocabulary), values: values)
    }
    return result
  }
}

enum BlockHarness {
  /// Compiles and evaluates `recipe` on `batch` in Double: outputs by name.
  static func evaluate(_ recipe: PolicyRecipe, on batch: TestBatch) throws -> [String: [Double]] {
    let program = try PolicyProgram.compile(recipe, layout: RowLayout(groups: batch.groups, tokens: batch.tokens), present: Set(batch.inputs.keys),
                                            vocabulary: batch.vocabulary)
    let results = try ReferenceInterpreter.evaluate(program.graph, inputs: batch.tensors())
    return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
  }

  /// The worst relative error between `grad_<input>` and central differences of `loss`
  /// over the real tokens.
  static func gradientError(_ recipe: PolicyRecipe, on batch: TestBatch, input: PolicyBatch.Input = .logp, step: Double = 1e-6) throws -> Double {
    let analytic = try #require(try evaluate(recipe, on: batch)["grad_\(input.rawValue)"])
    var worst = 0.0
    for (i, m) in batch.flatMask.enumerated() where m == 1 {
      var plus = batch, minus = batch
      plus.inputs[input]?[i] += step
      minus.inputs[input]?[i] -= step
      let numeric = (try evaluate(recipe, on: plus)["loss"]![0] - evaluate(recipe, on: minus)["loss"]![0]) / (2 * step)
      worst = Swift.max(worst, Swift.abs(numeric - analytic[i]) / Swift.max(1, Swift.abs(numeric)))
    }
    return worst
  }

  /// Parameters of `decl` with these values, the rest declared defaults.
  static func params(_ decl: BlockDecl, _ values: [String: ParamValue] = [:]) -> BlockParams { BlockParams(decl, values: values) }

  /// A recipe with this estimator and the declared defaults elsewhere.
  static func recipe(_ estimator: any AdvantageEstimator) throws -> PolicyRecipe {
    try PolicyRecipe.defaults(advantage: .estimator(estimator))
  }

  /// Row i's real tokens of a flat [N, T] output.
  static func row(_ values: [Double], _ i: Int, tokens: Int) -> [Double] { Array(values[(i * tokens)..<((i + 1) * tokens)]) }
}
