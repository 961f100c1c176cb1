import Core
import Graph
import Runtime

/// Benchmarks of the token policy (issue 6): sampling with the KV cache and the training
/// program's forward + backward, on the default 2-layer, width-128 character transformer.
/// PyTorch on this machine (2 threads): ~63k tokens/s sampling at batch 64, ~40 ms for
/// forward + backward on 32 × 64 tokens.
extension BenchmarkSuite {
  static var tokens: [Benchmark] { [sampleTokens, tokenPolicyForward, tokenPolicyForwardBackward] }

  /// 64 prompts of 8 tokens, 32 new tokens each (no early stop), temperature 1: the figure
  /// counts generated tokens (64 × 32 per call), prompt processing included in the time.
  static var sampleTokens: Benchmark { Benchmark(
    name: "sample_tokens_per_s", unit: .tokensPerSecond, workPerCall: 64 * 32, iterations: 20
  ) {
    let configuration = TransformerConfiguration()
    var rng = Philox(seed: 1)
    let parameters = TransformerParameters.initialized(configuration, rng: &rng)
    let sampler = try TokenSampler(configuration, rows: 64, maxPromptLength: 8, maxNewTokens: 32)
    let prompts: [[Int32]] = (0..<64).map { (row: Int) -> [Int32] in
      [1] + (1..<8).map { (k: Int) -> Int32 in Int32(3 + (k * 7 + row * 13) % 61) }
    }
    return {
      do {
        // NOTE: stop −1 is no token id, so every row generates all 32 tokens.
        _ = try sampler.sample(parameters, prompts: prompts, settings: .init(), stop: -1, rng: &rng)
      } catch {
        preconditionFailure("sample_tokens_per_s: \(error)")  // valid prompts by construction
      }
    }
  } }

  /// `TransformerProgram.evaluate` (log-probs and entropies, no gradient) on the rows of
  /// `token_policy_fwd_bwd`: the pass the token trainer makes twice per minibatch for the old
  /// and reference log-probs. About a third of `token_policy_fwd_bwd`'s FLOPs.
  static var tokenPolicyForward: Benchmark {
    Benchmark(name: "token_policy_fwd", unit: .milliseconds, workPerCall: 0, iterations: 10, setUp: {
      let (program, parameters, batch, _) = try tokenPolicyTraining()
      return {
        do { _ = try program.evaluate(parameters, batch) } catch {
          preconditionFailure("token_policy_fwd: \(error)")  // fixed shapes; cannot fail
        }
      }
    }, plan: {
      let (program, parameters, batch, _) = try tokenPolicyTraining()
      let executable = try Planner.plan(program.forward.graph)
      var named = TransformerGraph.namedBatchInputs(batch)
      for (name, tensor) in zip(parameters.names, parameters.tensors) { named[name] = tensor }
      let inputs = executable.graph.inputNames.compactMap { named[$0] }
      return executable.describe(timings: try executable.profile(inputs, runs: 10))
    })
  }

  /// `TransformerProgram.gradient` on 32 rows of 8 prompt + 56 response tokens (the default
  /// policy, no value head).
  static var tokenPolicyForwardBackward: Benchmark {
    Benchmark(name: "token_policy_fwd_bwd", unit: .milliseconds, workPerCall: 0, iterations: 5, setUp: {
      let (program, parameters, batch, gradLogp) = try tokenPolicyTraining()
      return {
        do { _ = try program.gradient(parameters, batch, gradLogp: gradLogp, gradValue: nil) } catch {
          preconditionFailure("token_policy_fwd_bwd: \(error)")  // fixed shapes; cannot fail
        }
      }
    }, plan: {
      let (program, parameters, batch, gradLogp) = try tokenPolicyTraining()
      let executable = try Planner.plan(try program.trainingGraph())
      var named = TransformerGraph.namedBatchInputs(batch)
      for (name, tensor) in zip(parameters.names, parameters.tensors) { named[name] = tensor }
      named["grad_logp"] = gradLogp
      let inputs = executable.graph.inputNames.compactMap { named[$0] }
      return executable.describe(timings: try executable.profile(inputs, runs: 5))
    })
  }

  /// The default policy's training program for `rows` rows of 8 + 56 tokens, with fresh
  /// parameters, a batch of mixed prompt and response lengths, and a token-mean seed.
  static func tokenPolicyTraining(rows: Int = 32) throws -> (TransformerProgram, TransformerParameters, TokenRows, Tensor) {
    let configuration = TransformerConfiguration()
    var rng = Philox(seed: 2)
    let parameters = TransformerParameters.initialized(configuration, rng: &rng)
    let program = try TransformerProgram(configuration, rows: rows, promptLength: 8, responseLength: 56)
    var batch = TokenRows(rows: rows, promptLength: 8, responseLength: 56)
    for row in 0..<rows {
      let prompt: [Int32] = [1] + (0..<(4 + row % 4)).map { (k: Int) -> Int32 in Int32(3 + (k + row) % 61) }
      let response: [Int32] = (0..<(39 + row % 17)).map { (k: Int) -> Int32 in Int32(3 + (k * 5 + row) % 61) } + [2]
      batch.set(row: row, prompt: prompt, response: response)
    }
    return (program, parameters, batch, Tensor(repeating: -1 / Float(rows * 56), shape: [rows, 56]))
  }
}
