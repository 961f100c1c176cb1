import Core
import Foundation
import Graph
import Optim
import Runtime
import Testing
import TestSupport

@Suite struct TransformerProgramTests {
  static let tiny = TransformerConfiguration(vocabulary: 7, layers: 2, width: 8, heads: 2, context: 12, valueHead: true)

  /// Three rows of different prompt and response lengths (row 2 has an empty response).
  static func batch() -> TokenRows {
    var batch = TokenRows(rows: 3, promptLength: 4, responseLength: 3)
    batch.set(row: 0, prompt: [1, 4, 5], response: [3, 6, 2])
    batch.set(row: 1, prompt: [1, 3, 3, 6], response: [5])
    batch.set(row: 2, prompt: [1], response: [])
    return batch
  }

  @Test("token rows put prompts left-padded and responses right-padded, and give them back")
  func tokenRowsLayout() {
    let batch = Self.batch()
    // row 0: PAD 1 4 5 | 3 6 2;  row 1: 1 3 3 6 | 5 PAD PAD;  row 2: PAD PAD PAD 1 | PAD PAD PAD
    #expect(batch.tokens == [0, 1, 4, 5, 3, 6, 2, 1, 3, 3, 6, 5, 0, 0, 0, 0, 0, 1, 0, 0, 0])
    #expect(batch.row(0).prompt == [1, 4, 5] && batch.row(0).response == [3, 6, 2])
    #expect(batch.row(2).prompt == [1] && batch.row(2).response.isEmpty)
  }

  @Test("parameter count and layout agree, and the default policy has the expected size")
  func parameterCount() throws {
    for c in [Self.tiny, TransformerConfiguration(), TransformerConfiguration(valueHead: true)] {
      #expect(TransformerParameters.layout(of: c).reduce(0) { $0 + $1.shape.count } == c.parameterCount)
    }
    // 2·64·128 (embeddings) + 2·(4·128 + 128·384 + 384 + 128·128 + 128 + 128·512 + 512 + 512·128 + 128) + 2·128
    //   = 16_384 + 2·198_272 + 256
    #expect(TransformerConfiguration().parameterCount == 413_184)
  }

  @Test("invalid configurations are rejected with the size that does not fit")
  func invalidConfiguration() {
    #expect(throws: RuntimeError.invalidPolicy(reason: "transformer heads 3 must divide width 128")) {
      try TransformerConfiguration(heads: 3).validate()
    }
    #expect(throws: RuntimeError.self) { try TransformerConfiguration(layers: 0).validate() }
    #expect(throws: RuntimeError.self) { try TransformerProgram(Self.tiny, rows: 2, promptLength: 8, responseLength: 5) }
  }

  @Test("GPT-2 initialization: N(0, 0.02), scaled residual projections, unit gains, zero biases and value head")
  func initialization() throws {
    var rng = Philox(seed: 3)
    let parameters = TransformerParameters.initialized(TransformerConfiguration(valueHead: true), rng: &rng)
    func std(_ name: String) -> Double {
      let values = parameters[name]!.scalars.map(Double.init)
      return (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
    }
    #expect(abs(std("tok_emb") - 0.02) < 0.001)
    #expect(abs(std("l0.fc.w") - 0.02) < 0.001)
    #expect(abs(std("l1.out.w") - 0.01) < 0.0005)  // 0.02 / √(2·2)
    #expect(parameters["l0.ln1.g"]!.scalars.allSatisfy { $0 == 1 })
    #expect(parameters["l1.qkv.b"]!.scalars.allSatisfy { $0 == 0 })
    #expect(parameters["value.w"]!.scalars.allSatisfy { $0 == 0 })
    #expect(parameters.names.last == "value.b")
  }

  @Test("parameters round-trip through safetensors by name")
  func safeTensorsRoundTrip() throws {
    var rng = Philox(seed: 4)
    let parameters = TransformerParameters.initialized(Self.tiny, rng: &rng)
    let data = SafeTensors.encode(Array(zip(parameters.names, parameters.tensors)))
    let loaded = try TransformerParameters(Self.tiny, named: try SafeTensors.decode(data))
    #expect(loaded.names == parameters.names)
    #expect(zip(loaded.tensors, parameters.tensors).allSatisfy { $0.scalars == $1.scalars })
    var missing = try SafeTensors.decode(data)
    missing["l1.fc.b"] = nil
    #expect(throws: RuntimeError.invalidCheckpoint(reason: "transformer parameter 'l1.fc.b' is missing")) {
      try TransformerParameters(Self.tiny, named: missing)
    }
  }

  @Test("log-probs, entropies and values equal a plain Double reference on unpadded sequences")
  func matchesReference() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 11)
    let reference = TransformerReference(parameters)
    let batch = Self.batch()
    let program = try TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3)
    let outputs = try program.evaluate(parameters, batch)
    let (logp, entropy, value) = (outputs.logp.scalars, outputs.entropy.scalars, try #require(outputs.value).scalars)
    for row in 0..<3 {
      let (prompt, response) = batch.row(row)
      let run = reference.run(prompt + response)
      for t in 0..<3 {
        let k = row * 3 + t
        guard t < response.count else {
          #expect(logp[k] == 0 && entropy[k] == 0 && value[k] == 0)
          continue
        }
        let distribution = run.logProbs[prompt.count - 1 + t]
        let expectedEntropy = -distribution.map { Foundation.exp($0) * $0 }.reduce(0, +)
        #expect(isClose(Double(logp[k]), distribution[Int(response[t])], rtol: 1e-4, atol: 1e-5), "row \(row) t \(t)")
        #expect(isClose(Double(entropy[k]), expectedEntropy, rtol: 1e-4, atol: 1e-5))
        #expect(isClose(Double(value[k]), run.values[prompt.count - 1 + t], rtol: 1e-4, atol: 1e-5))
      }
    }
  }

  @Test("with 3 layers and prompts of 1 to 6 tokens, evaluate and gradient give the Double reference's log-probs")
  func longPromptsMatchReference() throws {
    // The last block runs on the R read-out positions only; earlier blocks on all S.
    let c = TransformerConfiguration(vocabulary: 9, layers: 3, width: 8, heads: 2, context: 12)
    let parameters = try TransformerReference.randomParameters(c, scale: 0.5, seed: 21)
    let reference = TransformerReference(parameters)
    var random = TestRandom(seed: 8)
    var batch = TokenRows(rows: 6, promptLength: 6, responseLength: 4)
    for row in 0..<6 {
      let prompt = [Int32(1)] + random.integers(row, below: 6).map { Int32($0 + 3) }
      let response = random.integers(4 - row % 3, below: 6).map { Int32($0 + 3) }
      batch.set(row: row, prompt: prompt, response: response)
    }
    let program = try TransformerProgram(c, rows: 6, promptLength: 6, responseLength: 4)
    let evaluated = try program.evaluate(parameters, batch).logp.scalars
    let (fused, _) = try program.gradient(parameters, batch, gradLogp: Tensor(repeating: 1, shape: [6, 4]), gradValue: nil)
    #expect(fused.logp.scalars == evaluated)
    for row in 0..<6 {
      let (prompt, response) = batch.row(row)
      let run = reference.run(prompt + response)
      for t in 0..<response.count {
        let expected = run.logProbs[prompt.count - 1 + t][Int(response[t])]
        #expect(isClose(Double(evaluated[row * 4 + t]), expected, rtol: 1e-4, atol: 1e-5), "row \(row) t \(t)")
      }
    }
  }

  @Test("a left-padded prompt gives the log-probs of the same prompt unpadded in a batch of its own")
  func paddingInvariance() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 12)
    let padded = try TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3).evaluate(parameters, Self.batch())
    var alone = TokenRows(rows: 1, promptLength: 3, responseLength: 3)
    alone.set(row: 0, prompt: [1, 4, 5], response: [3, 6, 2])
    let single = try TransformerProgram(Self.tiny, rows: 1, promptLength: 3, responseLength: 3).evaluate(parameters, alone)
    let mismatch = firstMismatch(Array(padded.logp.scalars[0..<3]), single.logp.scalars, rtol: 1e-5, atol: 1e-6)
    #expect(mismatch == nil, "\(mismatch ?? "")")
    #expect(allClose(Array(try #require(padded.value).scalars[0..<3]), try #require(single.value).scalars, rtol: 1e-5, atol: 1e-6))
  }

  @Test("autodiff of the forward graph passes a Double finite-difference check")
  func finiteDifferences() throws {
    let c = TransformerConfiguration(vocabulary: 5, layers: 1, width: 4, heads: 2, context: 6, valueHead: true)
    let parameters = try TransformerReference.randomParameters(c, scale: 0.6, seed: 13)
    var batch = TokenRows(rows: 2, promptLength: 3, responseLength: 2)
    batch.set(row: 0, prompt: [1, 3], response: [4, 2])
    batch.set(row: 1, prompt: [1, 4, 3], response: [3])
    let forward = try TransformerGraph(c, rows: 2, promptLength: 3, responseLength: 2).graph
    // One output that depends on logp, entropy and value.
    let g = GraphBuilder(extending: forward)
    let combined = g.value(forward.outputs[0]) + g.value(forward.outputs[1]) * 0.3 + g.value(forward.outputs[2]) * 0.7
    let graph = try g.build(outputs: [combined])
    var inputs = Dictionary(uniqueKeysWithValues: zip(parameters.names, parameters.tensors.map(DoubleTensor.init)))
    for (name, tensor) in TransformerGraph.namedBatchInputs(batch) { inputs[name] = DoubleTensor(tensor) }
    let worst = try GradientCheck.worstError(of: graph, inputs: inputs)
    #expect(worst.error < 1e-6, "\(worst.at)")
  }

  @Test("gradient() gives the Double reference's VJP of Σ gradLogp·logp + Σ gradValue·value")
  func gradientMatchesDouble() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 14)
    let program = try TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3)
    var random = TestRandom(seed: 5)
    let gradLogp = Tensor(shape: [3, 3], scalars: random.uniforms(9).map(Float.init))
    let gradValue = Tensor(shape: [3, 3], scalars: random.uniforms(9).map(Float.init))
    let (outputs, gradients) = try program.gradient(parameters, Self.batch(), gradLogp: gradLogp, gradValue: gradValue)
    #expect(outputs.logp.scalars == (try program.evaluate(parameters, Self.batch())).logp.scalars)
    var inputs = Dictionary(uniqueKeysWithValues: zip(parameters.names, parameters.tensors.map(DoubleTensor.init)))
    for (name, tensor) in TransformerGraph.namedBatchInputs(Self.batch()) { inputs[name] = DoubleTensor(tensor) }
    inputs["grad_logp"] = DoubleTensor(gradLogp)
    inputs["grad_value"] = DoubleTensor(gradValue)
    let expected = try ReferenceInterpreter.evaluate(try program.trainingGraph(), inputs: inputs).suffix(parameters.tensors.count)
    #expect(gradients.count == parameters.tensors.count)
    for (name, (got, want)) in zip(parameters.names, zip(gradients, expected)) {
      #expect(got.shape == want.shape)
      let mismatch = firstMismatch(got.scalars.map(Double.init), want.values, rtol: 1e-3, atol: 1e-5)
      #expect(mismatch == nil, "\(name): \(mismatch ?? "")")
    }
    // Only the seeded outputs matter: zero seeds give zero gradients.
    let zero = Tensor(zeros: [3, 3])
    let (_, none) = try program.gradient(parameters, Self.batch(), gradLogp: zero, gradValue: nil)
    #expect(none.allSatisfy { $0.scalars.allSatisfy { $0 == 0 } })
  }

  @Test("programs of two batch shapes sharing a workspace give the bits of programs of their own")
  func sharedWorkspace() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 15)
    var long = TokenRows(rows: 2, promptLength: 4, responseLength: 6)
    long.set(row: 0, prompt: [1, 4], response: [3, 6, 5, 4, 2])
    long.set(row: 1, prompt: [1, 3, 3, 6], response: [5, 2])
    let seed = Tensor(repeating: -0.5, shape: [2, 6])
    func run(_ short: TransformerProgram, _ longer: TransformerProgram) throws -> [[Float]] {
      let first = try short.evaluate(parameters, Self.batch())
      let (outputs, gradients) = try longer.gradient(parameters, long, gradLogp: seed, gradValue: nil)
      let again = try short.evaluate(parameters, Self.batch())
      let evaluated = try longer.evaluate(parameters, long)
      return [first.logp.scalars, first.entropy.scalars, outputs.logp.scalars, again.logp.scalars, evaluated.logp.scalars,
              evaluated.entropy.scalars] + gradients.map(\.scalars)
    }
    let workspace = Workspace()
    let shared = try run(TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3, workspace: workspace),
                         TransformerProgram(Self.tiny, rows: 2, promptLength: 4, responseLength: 6, workspace: workspace))
    let own = try run(TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3),
                      TransformerProgram(Self.tiny, rows: 2, promptLength: 4, responseLength: 6))
    #expect(shared == own)
    #expect(workspace.byteCount > 0)
  }

  @Test("a copy is a frozen reference: optimizer steps on the policy leave it unchanged")
  func frozenReference() throws {
    var policy = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 16)
    let reference = policy
    let snapshot = reference.tensors.map(\.scalars)
    let program = try TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3)
    let before = try program.evaluate(reference, Self.batch()).logp.scalars
    let (_, gradients) = try program.gradient(policy, Self.batch(), gradLogp: Tensor(repeating: -1, shape: [3, 3]), gradValue: nil)
    var optimizer = try Adam(learningRate: 0.05)
    try optimizer.step(parameters: &policy.tensors, gradients: gradients)
    #expect(reference.tensors.map(\.scalars) == snapshot)
    #expect(try program.evaluate(reference, Self.batch()).logp.scalars == before)
    // Ascending Σ logp moved the policy's log-probs up.
    let after = try program.evaluate(policy, Self.batch()).logp.scalars
    #expect(after.reduce(0, +) > before.reduce(0, +))
  }

  @Test("bad batches are errors that say what is wrong")
  func badBatches() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 15)
    let program = try TransformerProgram(Self.tiny, rows: 3, promptLength: 4, responseLength: 3)
    var batch = Self.batch()
    batch.tokens[5] = 7
    #expect(throws: RuntimeError.invalidTokens(reason: "row 0, token 5: id 7 is outside the vocabulary 0..<7")) {
      try program.evaluate(parameters, batch)
    }
    var long = Self.batch()
    long.set(row: 1, prompt: [1, 2, 3, 4, 5], response: [])
    #expect(throws: RuntimeError.invalidTokens(reason: "row 1: prompt of 5 tokens; it must have 1...4")) {
      try program.evaluate(parameters, long)
    }
    #expect(throws: RuntimeError.self) { try program.evaluate(parameters, TokenRows(rows: 2, promptLength: 4, responseLength: 3)) }
    #expect(throws: RuntimeError.self) {
      try program.gradient(parameters, Self.batch(), gradLogp: Tensor(zeros: [3, 2]), gradValue: nil)
    }
    var rng = Philox(seed: 1)
    let other = TransformerParameters.initialized(TransformerConfiguration(), rng: &rng)
    #expect(throws: RuntimeError.self) { try program.evaluate(other, Self.batch()) }
  }
}
