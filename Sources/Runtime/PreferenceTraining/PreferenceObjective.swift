import Blocks
import Core
import Graph

/// A preference loss compiled for the token trainer (`PreferenceProgram`, planned in
/// Float32, one executable per batch size) and the bridge between it and the transformer:
///
/// - `sequences` lays a minibatch of examples out as (prompt, response) rows;
/// - `evaluate` turns the rows' summed response log-probs into the loss's inputs, runs the
///   program and returns, per row, d loss / d (log-prob of each of its response tokens):
///   the loss's gradient with respect to the sequence log-prob (every token of a sequence
///   adds to it), plus the NLL terms' share (orpo's `chosen_nll`, pro's `nll`, whose
///   gradients the program also outputs) spread over the tokens the NLL averages.
public final class PreferenceObjective {
  public let loss: PreferenceLoss
  private var programs: [Int: (program: PreferenceProgram, executable: Executable)] = [:]

  public init(loss: PreferenceLoss) { self.loss = loss }

  /// What one minibatch computed.
  public struct Evaluation {
    public var loss: Double
    /// `chosen_reward`, `rejected_reward`, `margin` (and KTO's `kl`).
    public var terms: [String: Double]
    /// d loss / d token log-prob, one value per row (the same for each of its real tokens).
    public var tokenSeeds: [Float]
    /// Per example: whether the implicit reward ranks it right (chosen above rejected; the
    /// best list item above the worst; KTO: the reward's sign matches the label).
    public var ranked: [Bool]
  }

  /// The rows of `examples`: pairs → all chosen, then all rejected; lists → example-major;
  /// KTO → the completions, then the KL rows (prompt i with completion i − 1, TRL's
  /// mismatched pairs).
  public func sequences(_ examples: [PreferenceExample]) -> [(prompt: [Int32], response: [Int32])] {
    switch loss.format {
    case .pairs:
      examples.map { ($0.prompt, $0.responses[0]) } + examples.map { ($0.prompt, $0.responses[1]) }
    case .lists:
      examples.flatMap { e in e.responses.map { (e.prompt, $0) } }
    case .unpaired:
      examples.map { ($0.prompt, $0.responses[0]) }
        + examples.indices.map { i in (examples[i].prompt, examples[(i + examples.count - 1) % examples.count].responses[0]) }
    }
  }

  /// Runs the loss on one minibatch; `logp`, `ref` and `lengths` are per row of `sequences(examples)`.
  public func evaluate(_ examples: [PreferenceExample], logp: [Double], ref: [Double], lengths: [Int],
                       differentiates: Bool = true) throws(RuntimeError) -> Evaluation {
    let p = examples.count
    let k = loss.format == .lists ? (examples.first?.responses.count ?? 2) : 2
    guard examples.allSatisfy({ $0.responses.count == (loss.format == .unpaired ? 1 : k) }) else {
      throw .invalidConfiguration(reason: "preference examples of a minibatch must each hold \(k) responses")
    }
    let length = lengths.map { Float(Swift.max($0, 0)) }
    func f(_ values: some Sequence<Double>) -> [Float] { values.map(Float.init) }
    var inputs: [String: Tensor] = [:]
    switch loss.format {
    case .pairs:
      inputs["chosen_logp"] = Tensor(shape: [p], scalars: f(logp[0..<p]))
      inputs["rejected_logp"] = Tensor(shape: [p], scalars: f(logp[p..<(2 * p)]))
      inputs["ref_chosen_logp"] = Tensor(shape: [p], scalars: f(ref[0..<p]))
      inputs["ref_rejected_logp"] = Tensor(shape: [p], scalars: f(ref[p..<(2 * p)]))
      inputs["chosen_len"] = Tensor(shape: [p], scalars: Array(length[0..<p]))
      inputs["rejected_len"] = Tensor(shape: [p], scalars: Array(length[p..<(2 * p)]))
      // TRL's ORPO: the chosen responses' token-mean cross-entropy over the batch.
      let chosenTokens = Swift.max(lengths[0..<p].reduce(0, +), 1)
      inputs["chosen_nll"] = Tensor(scalar: Float(-logp[0..<p].reduce(0, +) / Double(chosenTokens)))
    case .unpaired:
      inputs["logp"] = Tensor(shape: [p], scalars: f(logp[0..<p]))
      inputs["ref_logp"] = Tensor(shape: [p], scalars: f(ref[0..<p]))
      inputs["len"] = Tensor(shape: [p], scalars: Array(length[0..<p]))
      inputs["label"] = Tensor(shape: [p], scalars: examples.map { $0.desirable ? 1 : 0 })
      inputs["kl_logp"] = Tensor(shape: [p], scalars: f(logp[p..<(2 * p)]))
      inputs["kl_ref_logp"] = Tensor(shape: [p], scalars: f(ref[p..<(2 * p)]))
    case .lists:
      inputs["logp"] = Tensor(shape: [p, k], scalars: f(logp))
      inputs["ref_logp"] = Tensor(shape: [p, k], scalars: f(ref))
      inputs["len"] = Tensor(shape: [p, k], scalars: length)
      inputs["score"] = Tensor(shape: [p, k], scalars: examples.flatMap { f($0.scores) })
      // PRO's SFT term: the token-mean NLL of each list's best response.
      inputs["nll"] = Tensor(shape: [p], scalars: (0..<p).map { i in
        let best = Self.best(examples[i])
        return Float(-logp[i * k + best] / Double(Swift.max(lengths[i * k + best], 1)))
      })
    }
    let (program, executable) = try compiled(rows: p, items: k)
    let outputs: [Tensor]
    do { outputs = try executable.run(inputs) } catch { throw .graph(error) }
    var evaluation = Evaluation(loss: 0, terms: [:], tokenSeeds: [Float](repeating: 0, count: logp.count), ranked: [])
    var named: [String: [Float]] = [:]
    for (name, tensor) in zip(program.outputNames, outputs) { named[name] = tensor.scalars }
    evaluation.loss = Double(named["loss"]?.first ?? .nan)
    for (name, values) in named where name.hasPrefix("terms.") { evaluation.terms[String(name.dropFirst(6))] = Double(values.first ?? .nan) }
    evaluation.ranked = ranked(examples, logp: logp, ref: ref, lengths: lengths, k: k)
    guard differentiates else { return evaluation }
    var seeds = evaluation.tokenSeeds
    switch loss.format {
    case .pairs:
      let chosen = named["grad_chosen_logp"] ?? [], rejected = named["grad_rejected_logp"] ?? []
      let nll = named["grad_chosen_nll"]?.first ?? 0
      let chosenTokens = Float(Swift.max(lengths[0..<p].reduce(0, +), 1))
      for i in 0..<p {
        seeds[i] = chosen[i] - nll / chosenTokens
        seeds[p + i] = rejected[i]
      }
    case .unpaired:
      let grad = named["grad_logp"] ?? []
      for i in 0..<p { seeds[i] = grad[i] }
    case .lists:
      let grad = named["grad_logp"] ?? [], nll = named["grad_nll"] ?? []
      for i in 0..<(p * k) { seeds[i] = grad[i] }
      for i in 0..<p where !nll.isEmpty {
        let best = i * k + Self.best(examples[i])
        seeds[best] -= nll[i] / Float(Swift.max(lengths[best], 1))
      }
    }
    evaluation.tokenSeeds = seeds
    return evaluation
  }

  /// The index of a list's highest-scored response (the first of ties).
  static func best(_ example: PreferenceExample) -> Int {
    example.scores.indices.max { example.scores[$0] < example.scores[$1] || (example.scores[$0] == example.scores[$1] && $0 > $1) } ?? 0
  }

  /// The implicit reward each loss defines, per row: log-ratio to the reference, or the
  /// mean token log-prob (SimPO, ORPO, PRO), or the log-prob (SLiC without reference).
  func implicitRewards(logp: [Double], ref: [Double], lengths: [Int]) -> [Double] {
    logp.indices.map { i in
      let average = logp[i] / Double(Swift.max(lengths[i], 1))
      switch loss {
      case .pairwise(let pair):
        switch pair.kind {
        case .simpo, .orpo: return average
        case .hinge where !pair.usesReference: return logp[i]
        case .ipo: return (logp[i] - ref[i]) / Double(Swift.max(lengths[i], 1))
        default: return logp[i] - ref[i]
        }
      case .listwise(let list): return list.kind == .pro ? average : logp[i] - ref[i]
      case .unpaired: return logp[i] - ref[i]
      }
    }
  }

  private func ranked(_ examples: [PreferenceExample], logp: [Double], ref: [Double], lengths: [Int], k: Int) -> [Bool] {
    let r = implicitRewards(logp: logp, ref: ref, lengths: lengths), p = examples.count
    switch loss.format {
    case .pairs: return (0..<p).map { r[$0] > r[p + $0] }
    case .unpaired: return (0..<p).map { examples[$0].desirable ? r[$0] > 0 : r[$0] < 0 }
    case .lists:
      return (0..<p).map { i in
        let scores = examples[i].scores
        let worst = scores.indices.min { scores[$0] < scores[$1] } ?? 0
        return r[i * k + Self.best(examples[i])] > r[i * k + worst]
      }
    }
  }

  private func compiled(rows: Int, items: Int) throws(RuntimeError) -> (program: PreferenceProgram, executable: Executable) {
    let key = rows * 1000 + items
    if let cached = programs[key] { return cached }
    do {
      let program = try PreferenceProgram.compile(loss, rows: rows, items: items, span: nil, differentiatesExtras: true)
      let entry = (program, try Planner.plan(program.graph))
      programs[key] = entry
      return entry
    } catch let error as GraphError {
      throw .graph(error)
    } catch {
      throw .invalidConfiguration(reason: "the preference loss does not compile: \(error)")
    }
  }
}
