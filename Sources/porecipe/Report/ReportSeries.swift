/// The runs of one recipe (one per seed), with the figures `porecipe report` shows: the
/// headline metric's final and best values, the warm start and gain, and curves whose
/// points carry the mean and min–max range across seeds.
struct ReportSeries: Equatable {
  var recipe: String
  var runs: [RunHistory]

  /// Token runs are judged by held-out accuracy; classic control by episode return.
  var kind: RunHistory.Kind { runs[0].kind }

  /// `eval_accuracy` for token runs, `episode_return_mean` for environment runs.
  var metric: String { kind == .token ? "eval_accuracy" : "episode_return_mean" }

  /// The x axis of the curves: iterations for token runs, environment steps otherwise.
  var xKey: String { kind == .token ? "iteration" : "env_steps" }

  /// The series of `paths` (see `RunHistory.runs(at:)`): each seeds directory is one series;
  /// loose run directories of one recipe name form one series. A name that would label two
  /// series is followed by the directory, `ppo (runs/ppo-high)`.
  static func reading(_ paths: [String]) throws(ReportError) -> [ReportSeries] {
    var series: [ReportSeries] = []
    var looseIndex: [String: Int] = [:]
    for path in paths {
      let runs = try RunHistory.runs(at: path)
      if runs.count == 1, runs[0].directory == path {
        if let index = looseIndex[runs[0].recipe] {
          try series[index].append(runs[0])
          continue
        }
        looseIndex[runs[0].recipe] = series.count
        series.append(ReportSeries(recipe: runs[0].recipe, runs: runs))
      } else {
        var seeds = ReportSeries(recipe: runs[0].recipe, runs: [runs[0]], directory: path)
        for run in runs.dropFirst() { try seeds.append(run) }
        series.append(seeds)
      }
    }
    for index in series.indices where series.filter({ $0.recipe == series[index].recipe }).count > 1 {
      series[index].label = "\(series[index].recipe) (\(series[index].directory ?? series[index].runs[0].directory))"
    }
    return series
  }

  init(recipe: String, runs: [RunHistory], directory: String? = nil) {
    (self.recipe, self.runs, self.directory, self.label) = (recipe, runs, directory, recipe)
  }

  /// The seeds directory the series was read from, if it was one.
  var directory: String?

  /// The name in the table and the legends: the recipe, or recipe and directory when two
  /// series share a recipe.
  var label: String

  /// Adds a run; runs of one series must be of one kind and one recipe.
  mutating func append(_ run: RunHistory) throws(ReportError) {
    guard run.kind == kind, run.recipe == recipe else {
      throw .noMetrics(path: run.directory, reason: "a \(run.kind.rawValue) run of '\(run.recipe)' in a series of "
                       + "\(kind.rawValue) runs of '\(recipe)' (\(runs[0].directory))")
    }
    runs.append(run)
  }

  /// The seeds of the runs, where known.
  var seeds: [Int] { runs.compactMap(\.seed) }

  // MARK: - Per-run figures, aggregated

  /// The headline metric at the end of each run: the summary's `final_<metric>`, else the
  /// last logged value.
  var final: Spread? { Spread(runs.compactMap { run in run.summary["final_" + metric] ?? run.iterations.last { $0[metric] != nil }?[metric] }) }

  /// The best value of the headline metric in each run (the final one included).
  var best: Spread? {
    Spread(runs.compactMap { run in
      (run.iterations.compactMap { $0[metric] } + [run.summary["final_" + metric], run.summary["best_" + metric]].compactMap { $0 }).max()
    })
  }

  /// Held-out accuracy before RL (`summary.json`'s `warm_start_eval_accuracy`).
  var warmStart: Spread? { Spread(runs.compactMap { $0.summary["warm_start_eval_accuracy"] }) }

  /// Final minus warm-start accuracy, per run, over runs that have both.
  var gain: Spread? {
    Spread(runs.compactMap { run in
      guard let warm = run.summary["warm_start_eval_accuracy"],
            let last = run.summary["final_eval_accuracy"] ?? run.iterations.last(where: { $0["eval_accuracy"] != nil })?["eval_accuracy"]
      else { return nil }
      return last - warm
    })
  }

  /// Wall time of each run: the summary's, else the last line's.
  var wall: Spread? { Spread(runs.compactMap { $0.summary["wall_s"] ?? $0.iterations.last?["wall_s"] }) }

  /// Runs that reached the environment's threshold (`solved_at_env_steps` in the summary).
  var solvedCount: Int { runs.filter { $0.summary["solved_at_env_steps"] != nil }.count }

  // MARK: - Curves

  /// `key` against `x` (default: the series' x axis), each x with the mean and range over the
  /// runs that logged `key` there, by increasing x. For token runs' `eval_accuracy` the
  /// warm-start accuracy is the point at iteration 0.
  func curve(_ key: String, x: String? = nil) -> [BandPoint] {
    let x = x ?? xKey
    var values: [Double: [Double]] = [:]
    for run in runs {
      for point in run.curve(key, x: x) { values[point.x, default: []].append(point.y) }
      if key == "eval_accuracy", x == "iteration", let warm = run.summary["warm_start_eval_accuracy"] {
        values[0, default: []].append(warm)
      }
    }
    return values.keys.sorted().compactMap { x in Spread(values[x] ?? []).map { BandPoint(x: x, y: $0) } }
  }
}
