import Core
import Foundation
import Runtime
import Testing
import TestSupport

@Suite struct TokenSamplerTests {
  static let tiny = TransformerConfiguration(vocabulary: 7, layers: 2, width: 8, heads: 2, context: 12)

  /// log π(v | prompt + prefix) for every v, by the training program (one candidate per row).
  static func nextTokenLogProbs(_ parameters: TransformerParameters, prompt: [Int32], prefix: [Int32]) throws -> [Double] {
    let c = parameters.configuration
    let program = try TransformerProgram(c, rows: c.vocabulary, promptLength: prompt.count, responseLength: prefix.count + 1)
    var batch = TokenRows(rows: c.vocabulary, promptLength: prompt.count, responseLength: prefix.count + 1)
    for v in 0..<c.vocabulary { batch.set(row: v, prompt: prompt, response: prefix + [Int32(v)]) }
    let logp = try program.evaluate(parameters, batch).logp.scalars
    return (0..<c.vocabulary).map { Double(logp[$0 * (prefix.count + 1) + prefix.count]) }
  }

  /// The distribution the settings define over `logProbs`, computed independently in Double:
  /// temperature, then top-k (ties kept), then top-p (smallest most-likely set with mass ≥ p... as HF).
  static func filtered(_ logProbs: [Double], _ s: TokenSampler.Settings) -> [Double] {
    var z = logProbs.map { $0 / Double(s.temperature) }
    if s.topK > 0, s.topK < z.count {
      let threshold = z.sorted(by: >)[s.topK - 1]
      z = z.map { $0 < threshold ? -.infinity : $0 }
    }
    func normalized(_ z: [Double]) -> [Double] {
      let top = z.max()!
      let weights = z.map { Foundation.exp($0 - top) }
      let total = weights.reduce(0, +)
      return weights.map { $0 / total }
    }
    if s.topP < 1 {
      let p = normalized(z)
      let ascending = p.indices.sorted { p[$0] < p[$1] }
      var cumulative = 0.0
      for v in ascending.dropLast() {
        cumulative += p[v]
        if cumulative <= 1 - Double(s.topP) { z[v] = -.infinity }
      }
    }
    return normalized(z)
  }

  @Test("greedy sampling picks the training program's most likely token at every step, padding included")
  func greedyMatchesProgram() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.7, seed: 21)
    let sampler = try TokenSampler(Self.tiny, rows: 4, maxPromptLength: 5, maxNewTokens: 6)
    let prompts: [[Int32]] = [[1, 4, 5], [1, 3, 3, 6, 4], [1], [1, 6]]
    var rng = Philox(seed: 1)
    let responses = try sampler.sample(parameters, prompts: prompts, settings: .init(greedy: true), stop: -1, rng: &rng)
    #expect(rng == Philox(seed: 1))  // greedy draws nothing
    for (prompt, response) in zip(prompts, responses) {
      #expect(response.count == 6)
      for t in 0..<response.count {
        let logProbs = try Self.nextTokenLogProbs(parameters, prompt: prompt, prefix: Array(response.prefix(t)))
        #expect(logProbs[Int(response[t])] >= logProbs.max()! - 1e-5, "prompt \(prompt) step \(t): \(logProbs)")
      }
    }
  }

  @Test("a prompt sampled greedily alone gives what it gives in a padded batch of several")
  func batchInvariance() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.7, seed: 26)
    let prompts: [[Int32]] = [[1, 4, 5], [1, 3, 3, 6, 4], [1], [1, 6], [1, 2, 2], [1, 5, 4, 3]]
    var rng = Philox(seed: 1)
    let batch = try TokenSampler(Self.tiny, rows: 6, maxPromptLength: 5, maxNewTokens: 6)
      .sample(parameters, prompts: prompts, settings: .init(greedy: true), stop: -1, rng: &rng)
    let alone = try TokenSampler(Self.tiny, rows: 1, maxPromptLength: 5, maxNewTokens: 6)
    for (prompt, response) in zip(prompts, batch) {
      #expect(try alone.sample(parameters, prompts: [prompt], settings: .init(greedy: true), stop: -1, rng: &rng) == [response])
    }
  }

  @Test("greedy = program argmax with 32-wide heads, several key blocks and rows split over the cores")
  func greedyMatchesProgramWide() throws {
    let c = TransformerConfiguration(vocabulary: 6, layers: 2, width: 64, heads: 2, context: 40)
    let parameters = try TransformerReference.randomParameters(c, scale: 0.4, seed: 27)
    let prompts: [[Int32]] = (0..<16).map { (row: Int) -> [Int32] in
      [1] + (0..<(row * 5 % 19)).map { (k: Int) -> Int32 in Int32(3 + (k * 7 + row) % 3) }
    }
    let (promptLength, steps) = (prompts.map(\.count).max()!, 4)
    var rng = Philox(seed: 1)
    let responses = try TokenSampler(c, rows: 16, maxPromptLength: 20, maxNewTokens: steps)
      .sample(parameters, prompts: prompts, settings: .init(greedy: true), stop: -1, rng: &rng)
    for t in 0..<steps {
      // Row 6·i + v: prompt i followed by its first t sampled tokens and candidate v.
      let program = try TransformerProgram(c, rows: 16 * 6, promptLength: promptLength, responseLength: t + 1)
      var batch = TokenRows(rows: 16 * 6, promptLength: promptLength, responseLength: t + 1)
      for (i, (prompt, response)) in zip(prompts, responses).enumerated() {
        for v in 0..<6 { batch.set(row: 6 * i + v, prompt: prompt, response: Array(response.prefix(t)) + [Int32(v)]) }
      }
      let logp = try program.evaluate(parameters, batch).logp.scalars
      for (i, response) in responses.enumerated() {
        let candidates = (0..<6).map { logp[(6 * i + $0) * (t + 1) + t] }
        #expect(candidates[Int(response[t])] >= candidates.max()! - 1e-5, "prompt \(i) step \(t): \(candidates)")
      }
    }
  }

  @Test("a row stops at the stop token, which ends its response", arguments: [Int32(0), 1, 2])
  func stopsAtStopToken(row: Int32) throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.7, seed: 22)
    let sampler = try TokenSampler(Self.tiny, rows: 3, maxPromptLength: 3, maxNewTokens: 8)
    let prompts: [[Int32]] = [[1, 4], [1, 5, 3], [1]]
    var rng = Philox(seed: 1)
    let free = try sampler.sample(parameters, prompts: prompts, settings: .init(greedy: true), stop: -1, rng: &rng)
    let stop = free[Int(row)][2]
    let stopped = try sampler.sample(parameters, prompts: prompts, settings: .init(greedy: true), stop: stop, rng: &rng)
    for (full, cut) in zip(free, stopped) {
      let end = full.firstIndex(of: stop).map { $0 + 1 } ?? full.count
      #expect(cut == Array(full.prefix(end)))
    }
  }

  @Test("sample frequencies match the exact tempered, top-k and top-p filtered distribution",
        arguments: [TokenSampler.Settings(temperature: 0.7), .init(topK: 3), .init(temperature: 1.3, topP: 0.8),
                    .init(temperature: 0.8, topK: 4, topP: 0.7), .init(topK: 1)])
  func frequencies(settings: TokenSampler.Settings) throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 1.2, seed: 23)
    let prompt: [Int32] = [1, 4, 3]
    let exact = Self.filtered(try Self.nextTokenLogProbs(parameters, prompt: prompt, prefix: []), settings)
    let sampler = try TokenSampler(Self.tiny, rows: 64, maxPromptLength: 3, maxNewTokens: 1)
    var counts = [Int](repeating: 0, count: Self.tiny.vocabulary)
    var rng = Philox(seed: 9)
    let calls = 60
    for _ in 0..<calls {
      let responses = try sampler.sample(parameters, prompts: Array(repeating: prompt, count: 64), settings: settings, stop: -1, rng: &rng)
      for response in responses { counts[Int(response[0])] += 1 }
    }
    let n = Double(calls * 64)
    for v in 0..<counts.count {
      let p = exact[v], frequency = Double(counts[v]) / n
      if p == 0 { #expect(counts[v] == 0, "token \(v) is filtered out but was drawn \(counts[v]) times") }
      #expect(abs(frequency - p) <= 5 * (p * (1 - p) / n).squareRoot() + 1e-3, "token \(v): \(frequency) vs \(p) (\(exact))")
    }
    // The filters did something in this case (otherwise the test would not test them).
    #expect(settings.topK == 0 && settings.topP == 1 || exact.contains(0))
  }

  @Test("top-k keeps every token tied with the k-th largest logit (uniform logits keep all)")
  func topKTies() throws {
    // Zero weights, unit LayerNorm gains: every logit is 0.
    let layout = TransformerParameters.layout(of: Self.tiny)
    let parameters = try TransformerParameters(Self.tiny, tensors: layout.map { name, shape in
      name.hasSuffix(".g") ? Tensor(repeating: 1, shape: shape) : Tensor(zeros: shape)
    })
    let sampler = try TokenSampler(Self.tiny, rows: 64, maxPromptLength: 2, maxNewTokens: 1)
    var seen = Set<Int32>()
    var rng = Philox(seed: 3)
    for _ in 0..<4 {
      let responses = try sampler.sample(parameters, prompts: Array(repeating: [1, 5], count: 64), settings: .init(topK: 2),
                                         stop: -1, rng: &rng)
      seen.formUnion(responses.map { $0[0] })
    }
    #expect(seen.count == Self.tiny.vocabulary)
  }

  @Test("the same seed gives the same samples, another seed other samples")
  func deterministic() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 1.0, seed: 24)
    let sampler = try TokenSampler(Self.tiny, rows: 8, maxPromptLength: 4, maxNewTokens: 7)
    let prompts: [[Int32]] = [[1, 4], [1, 3, 3, 6], [1], [1, 6, 5], [1, 4], [1, 2], [1, 5, 5, 5], [1, 3]]
    let settings = TokenSampler.Settings(temperature: 0.9, topK: 5, topP: 0.95)
    var first = Philox(seed: 42), second = Philox(seed: 42)
    let a = try sampler.sample(parameters, prompts: prompts, settings: settings, stop: 2, rng: &first)
    let b = try sampler.sample(parameters, prompts: prompts, settings: settings, stop: 2, rng: &second)
    #expect(a == b)
    #expect(first == second)
    var third = Philox(seed: 43)
    #expect(try sampler.sample(parameters, prompts: prompts, settings: settings, stop: 2, rng: &third) != a)
  }

  @Test("sampled sequences score as finite log-probs under the training program")
  func sampledSequencesScore() throws {
    let c = TransformerConfiguration(vocabulary: 7, layers: 2, width: 8, heads: 2, context: 12, valueHead: true)
    var rng = Philox(seed: 5)
    let parameters = TransformerParameters.initialized(c, rng: &rng)
    let sampler = try TokenSampler(c, rows: 3, maxPromptLength: 4, maxNewTokens: 8)
    let prompts: [[Int32]] = [[1, 4], [1, 3, 3, 6], [1]]
    let responses = try sampler.sample(parameters, prompts: prompts, settings: .init(), stop: 2, rng: &rng)
    var batch = TokenRows(rows: 3, promptLength: 4, responseLength: 8)
    for (row, (prompt, response)) in zip(prompts, responses).enumerated() { batch.set(row: row, prompt: prompt, response: response) }
    let outputs = try TransformerProgram(c, rows: 3, promptLength: 4, responseLength: 8).evaluate(parameters, batch)
    for (row, response) in responses.enumerated() {
      for t in 0..<8 {
        let logp = outputs.logp.scalars[row * 8 + t]
        #expect(t < response.count ? logp < 0 && logp.isFinite : logp == 0)
      }
    }
  }

  @Test("bad prompts and settings are errors, never crashes")
  func badInput() throws {
    let parameters = try TransformerReference.randomParameters(Self.tiny, scale: 0.5, seed: 25)
    let sampler = try TokenSampler(Self.tiny, rows: 2, maxPromptLength: 3, maxNewTokens: 4)
    var rng = Philox(seed: 1)
    func sample(_ prompts: [[Int32]], _ settings: TokenSampler.Settings = .init()) throws {
      _ = try sampler.sample(parameters, prompts: prompts, settings: settings, stop: 2, rng: &rng)
    }
    #expect(throws: RuntimeError.invalidTokens(reason: "prompt 1 has 4 tokens, more than the sampler's maxPromptLength 3")) {
      try sample([[1], [1, 2, 3, 4]])
    }
    #expect(throws: RuntimeError.invalidTokens(reason: "prompt 0 holds token id 7, outside the vocabulary 0..<7")) {
      try sample([[1, 7]])
    }
    #expect(throws: RuntimeError.invalidTokens(reason: "3 prompts exceed the sampler's 2 rows")) { try sample([[1], [1], [1]]) }
    #expect(throws: RuntimeError.invalidTokens(reason: "prompt 0 is empty; start it with BOS")) { try sample([[]]) }
    #expect(throws: RuntimeError.self) { try sample([[1]], .init(temperature: 0)) }
    #expect(throws: RuntimeError.self) { try sample([[1]], .init(topP: 0)) }
    #expect(throws: RuntimeError.self) { try sample([[1]], .init(topK: -1)) }
    #expect(throws: RuntimeError.invalidPolicy(reason: "maxPromptLength 8 + maxNewTokens 5 exceeds the transformer's context 12")) {
      try TokenSampler(Self.tiny, rows: 2, maxPromptLength: 8, maxNewTokens: 5)
    }
    #expect(try sampler.sample(parameters, prompts: [], settings: .init(), stop: 2, rng: &rng).isEmpty)
  }
}
