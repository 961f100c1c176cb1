import Blocks
import Core
import Foundation
import Testing
import TestSupport

@testable import Runtime

/// The preference trainer's pieces: how sampled answers become pairs (and RSO's rejection
/// sampling), the KTO layout, and the gradient it seeds into the transformer against a
/// finite difference of the loss on a tiny model.
@Suite struct PreferenceTrainingTests {
  static let policy = TransformerConfiguration(vocabulary: TokenVocabulary.size, layers: 1, width: 16, heads: 2, context: 24)

  static func loss(_ name: String, _ values: [String: ParamValue] = [:]) throws -> PreferenceLoss {
    try PreferenceLoss(BlockParams(try #require(BlockRegistry.standard.block(named: name)), values: values))
  }

  static func answers(_ scores: [Double]) -> [ScoredAnswer] {
    scores.enumerated().map { ScoredAnswer(response: [Int32($0.offset + 10)], score: $0.element, correct: $0.element == 1) }
  }

  @Test("uniform pairs one correct answer against one incorrect answer; none when all agree")
  func uniform() {
    var rng = Philox(seed: 1)
    for _ in 0..<20 {
      let pairs = PreferencePairing.uniform.pairs(Self.answers([0, 1, 0, 1]), rng: &rng)
      #expect(pairs.count == 1)
      #expect([1, 3].contains(pairs[0].chosen) && [0, 2].contains(pairs[0].rejected))
    }
    #expect(PreferencePairing.uniform.pairs(Self.answers([1, 1, 1]), rng: &rng).isEmpty)
    #expect(PreferencePairing.uniform.pairs(Self.answers([0, 0.2, 0]), rng: &rng).isEmpty)
  }

  @Test("best_worst pairs the highest against the lowest score; all pairs every answer with each lower one")
  func bestWorstAndAll() {
    var rng = Philox(seed: 2)
    let answers = Self.answers([0.25, 1, 0, 0.5])
    let best = PreferencePairing.bestWorst.pairs(answers, rng: &rng)
    #expect(best.count == 1 && best[0].chosen == 1 && best[0].rejected == 2)
    let all = PreferencePairing.all.pairs(answers, rng: &rng)
    #expect(all.count == 6)
    #expect(all.allSatisfy { answers[$0.chosen].score > answers[$0.rejected].score })
    #expect(PreferencePairing.bestWorst.pairs(Self.answers([0, 0]), rng: &rng).isEmpty)
    // Identical responses carry no preference even with different scores.
    let same = [ScoredAnswer(response: [5], score: 1, correct: true), ScoredAnswer(response: [5], score: 0, correct: false)]
    #expect(PreferencePairing.all.pairs(same, rng: &rng).isEmpty)
  }

  @Test("RSO's rejection sampling accepts distinct candidates (all when asked for more) and favours high rewards as β shrinks")
  func rejectionSampling() {
    var rng = Philox(seed: 3)
    #expect(Set(PreferencePairing.rejectionSample([0, 1, 0], count: 5, beta: 0.5, rng: &rng)) == [0, 1, 2])
    // The best candidate last: with β = 0.5 each low one passes with e^−2 ≈ 0.135, so two of
    // the seven pass before it with probability ≈ 0.24; with β = 100 nearly all pass.
    let rewards = [0.0, 0, 0, 0, 0, 0, 0, 1]
    func share(_ beta: Double) -> Double {
      var hits = 0
      for _ in 0..<1000 {
        let accepted = PreferencePairing.rejectionSample(rewards, count: 2, beta: beta, rng: &rng)
        #expect(accepted.count == 2 && Set(accepted).count == 2)
        if accepted.contains(7) { hits += 1 }
      }
      return Double(hits) / 1000
    }
    let tilted = share(0.5), flat = share(100)
    #expect(abs(tilted - 0.757) < 0.05, "\(tilted)")
    #expect(flat < 0.05, "\(flat)")
  }

  @Test("KTO rows: the completions, then each prompt with the previous example's completion (TRL's mismatched KL pairs)")
  func ktoLayout() throws {
    let objective = PreferenceObjective(loss: try Self.loss("kto"))
    var examples: [PreferenceExample] = []
    for i in 0..<3 {
      let id = Int32(i)
      examples.append(PreferenceExample(prompt: [1, 20 + id], responses: [[30 + id, 2]], scores: [1], desirable: i != 1))
    }
    let rows = objective.sequences(examples)
    let prompts: [[Int32]] = rows.map { $0.prompt }, responses: [[Int32]] = rows.map { $0.response }
    #expect(prompts == [[1, 20], [1, 21], [1, 22], [1, 20], [1, 21], [1, 22]])
    #expect(responses == [[30, 2], [31, 2], [32, 2], [32, 2], [30, 2], [31, 2]])
  }

  /// A trainer on `examples` with random policy weights a step away from the reference.
  static func trainer(_ loss: PreferenceLoss, task: (any TokenTask)?, file: PreferenceDataset?) throws -> PreferenceTrainer {
    let source: PreferenceTrainerConfiguration.Source = file.map { .file($0) } ?? .online(prompts: 2, group: 2, pairing: .bestWorst, iterations: 1)
    var c = PreferenceTrainerConfiguration(source: source)
    c.policy = policy
    c.maxTokens = 6
    c.minibatches = 1
    let trainer = try PreferenceTrainer(task: task, loss: loss, configuration: c)
    try trainer.prepare(cache: nil)
    var rng = Philox(seed: 9)
    for i in trainer.parameters.tensors.indices {
      let t = trainer.parameters.tensors[i]
      trainer.parameters.tensors[i] = Tensor(shape: t.shape, scalars: t.scalars.map { $0 + 0.05 * rng.normal() })
    }
    return trainer
  }

  /// The seeded gradient along a random direction against a central difference of the loss.
  static func checkGradient(_ trainer: PreferenceTrainer, _ examples: [PreferenceExample]) throws {
    let (evaluation, gradients) = try trainer.lossGradient(examples)
    var rng = Philox(seed: 11)
    let direction = trainer.parameters.tensors.map { t in t.scalars.map { _ in rng.normal() } }
    var analytic = 0.0
    for (g, d) in zip(gradients, direction) { for (a, b) in zip(g.scalars, d) { analytic += Double(a) * Double(b) } }
    let base = trainer.parameters, eps: Float = 1e-3
    func loss(_ sign: Float) throws -> Double {
      trainer.parameters = base
      for i in base.tensors.indices {
        trainer.parameters.tensors[i] = Tensor(shape: base.tensors[i].shape, scalars: zip(base.tensors[i].scalars, direction[i]).map { $0 + sign * eps * $1 })
      }
      return try trainer.evaluateLoss(examples).loss
    }
    let numeric = (try loss(1) - (try loss(-1))) / (2 * Double(eps))
    trainer.parameters = base
    #expect(evaluation.loss.isFinite)
    #expect(abs(analytic) > 1e-3, "the check needs a gradient that is not ~0")
    #expect(abs(numeric - analytic) <= 0.03 * abs(analytic) + 2e-3, "numeric \(numeric) vs seeded \(analytic)")
  }

  static let pairsFile = """
    {"prompt": "12+34=", "chosen": "46", "rejected": "45"}
    {"prompt": "5+7=", "chosen": "12", "rejected": "2"}
    {"prompt": "20+21=", "chosen": "41", "rejected": "411"}
    """

  @Test("the seeded gradient of pairwise losses (dpo, ipo, simpo, orpo with its NLL) and kto matches a finite difference",
        arguments: ["dpo", "ipo", "simpo", "orpo", "kto"])
  func pairwiseGradient(name: String) throws {
    let data = try PreferenceDataset.parse(Self.pairsFile, path: "pairs.jsonl")
    let loss = try Self.loss(name, name == "orpo" ? ["lambda": .float(0.5)] : ["beta": .float(0.5)])
    let trainer = try Self.trainer(loss, task: nil, file: data)
    try Self.checkGradient(trainer, try PreferenceTrainer.examples(from: data, format: loss.format))
  }

  // Annealing 0.01 → 0 over 2 steps: rate_k = 0.01 + (0 − 0.01) · k / 2 gives 0.01, then 0.005.
  // Both trainers take the same first step, then the same Adam direction m̂ / (√v̂ + ε) from
  // the same weights, so the annealed second step moves the weights half as far.
  @Test("schedule.lr.linear anneals the rate per step: of two steps annealed to 0, the first moves as a constant rate does, the second half as far")
  func annealedRate() throws {
    let data = try PreferenceDataset.parse(Self.pairsFile, path: "pairs.jsonl")
    func trainer(annealTo: Double?) throws -> PreferenceTrainer {
      var c = PreferenceTrainerConfiguration(source: .file(data))
      (c.policy, c.maxTokens, c.iterations, c.minibatches) = (Self.policy, 6, 2, 1)
      (c.learningRate, c.annealTo) = (0.01, annealTo)
      let trainer = try PreferenceTrainer(task: nil, loss: try Self.loss("dpo", ["beta": .float(0.5)]), configuration: c)
      try trainer.prepare(cache: nil)
      return trainer
    }
    let annealed = try trainer(annealTo: 0), constant = try trainer(annealTo: nil)
    #expect(annealed.learningRate(at: 0) == 0.01 && annealed.learningRate(at: 1) == 0.005)
    _ = try annealed.runIteration()
    _ = try constant.runIteration()
    let first = constant.parameters.tensors.map(\.scalars)
    #expect(annealed.parameters.tensors.map(\.scalars) == first)
    _ = try annealed.runIteration()
    _ = try constant.runIteration()
    var moved = (annealed: 0.0, constant: 0.0)
    for (i, start) in first.enumerated() {
      for (j, x) in start.enumerated() {
        moved.annealed += abs(Double(annealed.parameters.tensors[i].scalars[j]) - Double(x))
        moved.constant += abs(Double(constant.parameters.tensors[i].scalars[j]) - Double(x))
      }
    }
    #expect(moved.constant > 0)
    #expect(isClose(moved.annealed / moved.constant, 0.5, rtol: 1e-3), "\(moved)")
  }

  @Test("the seeded gradient of listwise losses (lipo, pro with its NLL) matches a finite difference", arguments: ["lipo", "pro"])
  func listwiseGradient(name: String) throws {
    let task = try SortingTask(length: 3, alphabet: 5, partialCredit: true)
    let loss = try Self.loss(name, name == "pro" ? ["sft_weight": .float(0.5)] : ["beta": .float(0.5)])
    let trainer = try Self.trainer(loss, task: task, file: nil)
    let examples = [
      PreferenceExample(prompt: [1, 10, 12], responses: [[10, 12, 2], [12, 10, 2], [10, 2]], scores: [1, 0, 0.5]),
      PreferenceExample(prompt: [1, 11, 10], responses: [[11, 2], [10, 11, 2], [11, 10, 10, 2]], scores: [0.2, 1, 0]),
    ]
    try Self.checkGradient(trainer, examples)
  }
}
