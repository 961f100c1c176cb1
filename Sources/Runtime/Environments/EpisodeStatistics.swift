/// Returns and lengths of running and recently finished episodes, as Gymnasium's
/// `RecordEpisodeStatistics` wrapper (whose `return_queue` CleanRL averages) keeps them.
///
/// The running return is summed in `Double`. The last `window` finished episodes (of any env,
/// in the order they finished) are kept in a ring buffer allocated once.
public struct EpisodeStatistics: Sendable, Equatable, Codable {
  /// How many finished episodes the means cover (the issue's `episode_return_mean`: 20).
  public let window: Int
  /// Episodes finished since the environment was made.
  public private(set) var finishedCount = 0
  private var runningReturns: [Double]
  private var runningLengths: [Int]
  private var recentReturns: [Double]
  private var recentLengths: [Int]

  /// Statistics for `count` environments averaging the last `window` episodes.
  public init(count: Int, window: Int = 20) {
    self.window = Swift.max(window, 1)
    runningReturns = [Double](repeating: 0, count: count)
    runningLengths = [Int](repeating: 0, count: count)
    recentReturns = [Double](repeating: 0, count: self.window)
    recentLengths = [Int](repeating: 0, count: self.window)
  }

  /// Number of environments tracked.
  public var count: Int { runningReturns.count }

  enum CodingKeys: String, CodingKey {
    case window, finishedCount, runningReturns, runningLengths, recentReturns, recentLengths
  }

  /// Decodes statistics saved in a checkpoint, rejecting arrays of inconsistent lengths.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    window = try c.decode(Int.self, forKey: .window)
    finishedCount = try c.decode(Int.self, forKey: .finishedCount)
    runningReturns = try c.decode([Double].self, forKey: .runningReturns)
    runningLengths = try c.decode([Int].self, forKey: .runningLengths)
    recentReturns = try c.decode([Double].self, forKey: .recentReturns)
    recentLengths = try c.decode([Int].self, forKey: .recentLengths)
    guard window >= 1, finishedCount >= 0, runningLengths.count == runningReturns.count,
          recentReturns.count == window, recentLengths.count == window else {
      throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription:
        "episode statistics with window \(window) hold \(recentReturns.count) recent returns"))
    }
  }

  /// Adds one step's reward to env `env`'s episode; if `isDone`, records the episode and
  /// starts the next one at zero.
  @inline(__always)
  public mutating func record(env: Int, reward: Double, isDone: Bool) {
    runningReturns[env] += reward
    runningLengths[env] += 1
    guard isDone else { return }
    let slot = finishedCount % window
    recentReturns[slot] = runningReturns[env]
    recentLengths[slot] = runningLengths[env]
    finishedCount += 1
    runningReturns[env] = 0
    runningLengths[env] = 0
  }

  /// Forgets the running episodes (after `reset`); finished ones stay.
  public mutating func abandonRunningEpisodes() {
    for i in runningReturns.indices {
      runningReturns[i] = 0
      runningLengths[i] = 0
    }
  }

  /// Mean return of the last `min(window, finishedCount)` finished episodes; nil before any.
  public var returnMean: Double? {
    let n = Swift.min(window, finishedCount)
    return n == 0 ? nil : recentReturns.prefix(n).reduce(0, +) / Double(n)
  }

  /// Mean length of the same episodes; nil before any.
  public var lengthMean: Double? {
    let n = Swift.min(window, finishedCount)
    return n == 0 ? nil : Double(recentLengths.prefix(n).reduce(0, +)) / Double(n)
  }

  /// The running return of env `env`'s current episode.
  public func runningReturn(env: Int) -> Double { runningReturns[env] }

  /// The length so far of env `env`'s current episode.
  public func runningLength(env: Int) -> Int { runningLengths[env] }
}
