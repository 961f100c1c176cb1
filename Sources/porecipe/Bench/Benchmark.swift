import Foundation

/// One named measurement of `porecipe bench`.
///
/// `setUp` builds whatever the benchmark needs and returns the closure that is timed; each
/// repetition times that closure `iterations` times and reports one figure per repetition.
struct Benchmark {
  enum Unit: String {
    case gflops = "GFLOPS", gbPerSecond = "GB/s", microseconds = "us", milliseconds = "ms", stepsPerSecond = "steps/s"
    case tokensPerSecond = "tokens/s"
  }

  let name: String
  let unit: Unit
  /// Work per call in the unit's numerator (FLOPs for GFLOPS, bytes for GB/s, env steps for
  /// steps/s, tokens for tokens/s); unused for times.
  let workPerCall: Double
  /// Calls per repetition, so that one repetition lasts long enough to time.
  let iterations: Int
  let setUp: () throws -> () -> Void
  /// For graph benchmarks, the planned executable's schedule as text.
  var plan: (() throws -> String)? = nil

  struct Result {
    let name: String
    let value: Double
    let min: Double
    let unit: Unit

    var jsonLine: String {
      func format(_ x: Double) -> String { String(format: "%.3f", x) }
      return #"{"name": "\#(name)", "value": \#(format(value)), "min": \#(format(min)), "unit": "\#(unit.rawValue)"}"#
    }
  }

  func measure(repetitions: Int) throws -> Result {
    let body = try setUp()
    body()  // warm caches and lazily built state
    var figures: [Double] = []
    for _ in 0..<repetitions {
      let start = DispatchTime.now().uptimeNanoseconds
      for _ in 0..<iterations { body() }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 / Double(iterations)
      figures.append(figure(secondsPerCall: seconds))
    }
    figures.sort()
    let median = figures[figures.count / 2]
    let best = unit.isRate ? figures.last! : figures.first!
    return Result(name: name, value: median, min: best, unit: unit)
  }

  private func figure(secondsPerCall seconds: Double) -> Double {
    switch unit {
    case .gflops, .gbPerSecond: return workPerCall / seconds / 1e9
    case .stepsPerSecond, .tokensPerSecond: return workPerCall / seconds
    case .microseconds: return seconds * 1e6
    case .milliseconds: return seconds * 1e3
    }
  }
}

extension Benchmark.Unit {
  /// Rates are better when larger; for them `min` reports the best (largest) repetition.
  var isRate: Bool { self == .gflops || self == .gbPerSecond || self == .stepsPerSecond || self == .tokensPerSecond }
}
