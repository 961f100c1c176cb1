import Blocks
import Core
import Expr
import Graph
import Recipe

/// Benchmarks of compiled recipes: the update's loss and gradient as the trainer runs them.
extension BenchmarkSuite {
  static var eval: [Benchmark] { [evalGRPO] }

  /// One loss + gradient evaluation of the built-in grpo recipe (group_norm, clipped token
  /// ratio, k3 KL in the loss, seq-mean-token-mean) on 256 sequences × 512 tokens in groups
  /// of 8, planned executable (Float32).
  static var evalGRPO: Benchmark {
    Benchmark(name: "eval_grpo_n256_t512", unit: .milliseconds, workPerCall: 0, iterations: 10, setUp: {
      let (executable, inputs) = try grpoProgram()
      return { _ = try? executable.run(inputs) }
    }, plan: { "\(try grpoProgram().executable)" })
  }

  static func grpoProgram(rows: Int = 256, tokens: Int = 512) throws -> (executable: Executable, inputs: [Tensor]) {
    let checked = RecipeEval.check(recipe: "grpo")
    let recipe = try PolicyCompiler.recipe(from: checked)
    let layout = RowLayout(groups: (0..<rows).map { $0 / 8 }, tokens: tokens)
    let program = try PolicyProgram.compile(recipe, layout: layout, present: [])
    let executable = try Planner.plan(program.graph)
    var rng = Philox(seed: 0)
    let inputs = program.graph.inputNames.map { name -> Tensor in
      let shape: Shape = name == "reward" ? [rows] : [rows, tokens]
      switch name {
      case "mask": return Tensor(shape: shape, scalars: (0..<(rows * tokens)).map { Float(($0 % tokens) < tokens - ($0 / tokens) % 64 ? 1 : 0) })
      case "reward": return Tensor(shape: shape, scalars: (0..<rows).map { Float($0 % 3) / 2 })
      default: return Tensor.normal(shape: shape, mean: -1.5, std: 0.3, rng: &rng)
      }
    }
    return (executable, inputs)
  }
}
