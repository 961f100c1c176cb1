import Core

/// Past responses kept for replay (`filter.replay`, RePO / ARPO): each group may take
/// `off_samples` stored responses to its prompt in place of fresh ones, so a prompt the
/// policy now fails still contributes the answers it once got right. A replayed response
/// keeps the log-probabilities it was sampled with (its `old_logp`), so its ratio is an
/// importance weight from that older policy.
///
/// With `perPrompt` every prompt has its own buffer of `capacity` responses; otherwise one
/// buffer of `capacity` responses serves all prompts (entries still match their prompt).
/// The oldest entry leaves first.
public struct ReplayBuffer: Sendable, Codable, Equatable {
  /// Which stored responses are drawn.
  public enum Strategy: String, Sendable, Codable, CaseIterable {
    case recent, random, reward, success
  }

  /// One stored response.
  public struct Entry: Sendable, Codable, Equatable {
    public var response: [Int32]
    public var completion: String
    public var reward: Double
    /// The weighted reward terms by name.
    public var terms: [String: Double]
    public var correct: Bool
    /// log π_old of each response token when it was sampled.
    public var logp: [Float]
    /// Insertion order, for eviction and `recent`.
    public var serial: Int
  }

  public let capacity: Int
  public let perPrompt: Bool
  public let strategy: Strategy
  /// Entries by prompt.
  public private(set) var entries: [String: [Entry]] = [:]
  private var count = 0
  private var serial = 0

  public init(capacity: Int, perPrompt: Bool, strategy: Strategy) {
    (self.capacity, self.perPrompt, self.strategy) = (capacity, perPrompt, strategy)
  }

  /// Stores a response to `prompt`, evicting the oldest entry (of the prompt, or of all) when full.
  public mutating func add(prompt: String, response: [Int32], completion: String, reward: Double, terms: [String: Double],
                           correct: Bool, logp: [Float]) {
    entries[prompt, default: []].append(Entry(response: response, completion: completion, reward: reward, terms: terms, correct: correct,
                                              logp: logp, serial: serial))
    serial += 1
    count += 1
    if perPrompt {
      if entries[prompt]!.count > capacity { entries[prompt]!.removeFirst(); count -= 1 }
    } else if count > capacity, let oldest = entries.min(by: { ($0.value.first?.serial ?? .max) < ($1.value.first?.serial ?? .max) })?.key {
      entries[oldest]!.removeFirst()
      if entries[oldest]!.isEmpty { entries[oldest] = nil }
      count -= 1
    }
  }

  /// Up to `count` stored responses to `prompt`, chosen by the strategy (distinct entries).
  public func draw(prompt: String, count wanted: Int, rng: inout Philox) -> [Entry] {
    guard let stored = entries[prompt], !stored.isEmpty, wanted > 0 else { return [] }
    let ordered: [Entry]
    switch strategy {
    case .recent: ordered = stored.sorted { $0.serial > $1.serial }
    case .reward: ordered = stored.sorted { ($0.reward, $0.serial) > ($1.reward, $1.serial) }
    case .success: ordered = stored.sorted { ($0.correct ? 1 : 0, $0.serial) > ($1.correct ? 1 : 0, $1.serial) }
    case .random:
      var pool = stored
      for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.integer(below: i + 1)) }
      ordered = pool
    }
    return Array(ordered.prefix(wanted))
  }
}
