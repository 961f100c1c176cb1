import Core

/// N environments of one classic-control task in structure-of-arrays: component `k` of env
/// `i`'s state is `state[k · N + i]`, in `Double`.
///
/// Seeding: env `i` draws its initial states from `Philox(seed:).fork(stream: i)`, so an env's
/// episodes depend only on the seed, its index and its actions, not on N. Time limits are
/// Gymnasium's `TimeLimit`: `truncated` once an episode has taken `maxEpisodeSteps` steps.
public final class ClassicControlEnvironment<Task: ClassicControlTask>: VectorEnvironment {
  public let count: Int
  public internal(set) var episodes: EpisodeStatistics
  let state: UnsafeMutablePointer<Double>
  var generators: [Philox]
  var elapsed: [Int]
  /// `[N, observationSize]` and the actions' shape, made once so that a step allocates nothing.
  private let observationShape: Shape, actionShape: Shape
  /// Elements per action row: 1 for an index, d for a box.
  private let actionStride: Int

  /// `count` environments seeded from `seed`; call `reset(into:)` before stepping.
  public init(count: Int, seed: UInt64) {
    precondition(count > 0, "a vector environment needs at least one env")
    self.count = count
    let root = Philox(seed: seed)
    generators = (0..<count).map { root.fork(stream: UInt64($0)) }
    elapsed = [Int](repeating: 0, count: count)
    episodes = EpisodeStatistics(count: count)
    observationShape = [count, Task.observationSize]
    actionStride = Task.actionSpace.isDiscrete ? 1 : Task.actionSpace.width
    actionShape = Task.actionSpace.isDiscrete ? [count] : [count, actionStride]
    state = .allocate(capacity: 4 * count)
    state.initialize(repeating: 0, count: 4 * count)
  }

  deinit { state.deallocate() }

  public var id: String { Task.id }
  public var observationSize: Int { Task.observationSize }
  public var observationBounds: (low: [Float], high: [Float]) { Task.observationBounds }
  public var actionSpace: ActionSpace { Task.actionSpace }
  public var maxEpisodeSteps: Int { Task.maxEpisodeSteps }

  // MARK: - Direct state access (tests, checkpoints)

  /// The simulator state of env `i` (`Task.stateSize` components).
  public func state(of i: Int) -> [Double] {
    (0..<Task.stateSize).map { state[$0 * count + i] }
  }

  /// Sets env `i`'s state, as Gymnasium's `env.unwrapped.state = …`; the episode's step count
  /// is kept.
  public func setState(of i: Int, to values: [Double]) {
    precondition(values.count == Task.stateSize, "\(Task.id) has \(Task.stateSize) state components")
    for (k, value) in values.enumerated() { state[k * count + i] = value }
  }

  /// Steps taken so far in env `i`'s current episode.
  public func elapsedSteps(of i: Int) -> Int { elapsed[i] }

  // MARK: - Stepping

  public func reset(into step: inout VectorStep) throws(RuntimeError) {
    try checkBuffers(step)
    let observations = step.observations.mutableFloats(), finals = step.finalObservations.mutableFloats()
    for i in 0..<count {
      let initial = Task.initialState(rng: &generators[i])
      store(initial, i)
      elapsed[i] = 0
      Task.observe(initial, into: observations + i * Task.observationSize)
      step.rewards[i] = 0
      step.terminated[i] = false
      step.truncated[i] = false
    }
    finals.update(from: observations, count: count * Task.observationSize)
    episodes.abandonRunningEpisodes()
  }

  // NOTE: exported specializations let callers in other modules (the CLI, `porecipe bench`)
  // run the task's physics inlined instead of through witness tables: 64 CartPole envs
  // measured 17.8M → 27.7M env steps/s.
  @_specialize(exported: true, where Task == CartPole)
  @_specialize(exported: true, where Task == Acrobot)
  @_specialize(exported: true, where Task == MountainCar)
  @_specialize(exported: true, where Task == Pendulum)
  public func step(actions: Tensor, into step: inout VectorStep) throws(RuntimeError) {
    try checkBuffers(step)
    let rows = try checkedActions(actions)
    let observations = step.observations.mutableFloats(), finals = step.finalObservations.mutableFloats()
    let size = Task.observationSize
    for i in 0..<count {
      var s = load(i)
      let (reward, isTerminal) = Task.step(&s, action: rows + i * actionStride)
      elapsed[i] += 1
      let isTruncated = elapsed[i] >= Task.maxEpisodeSteps
      let final = finals + i * size, next = observations + i * size
      Task.observe(s, into: final)
      step.rewards[i] = Float(reward)
      step.terminated[i] = isTerminal
      step.truncated[i] = isTruncated
      episodes.record(env: i, reward: reward, isDone: isTerminal || isTruncated)
      if isTerminal || isTruncated {
        s = Task.initialState(rng: &generators[i])
        elapsed[i] = 0
        Task.observe(s, into: next)
      } else {
        next.update(from: final, count: size)
      }
      store(s, i)
    }
  }

  // MARK: - Helpers

  @inline(__always)
  private func load(_ i: Int) -> SIMD4<Double> {
    var s = SIMD4<Double>()
    for k in 0..<Task.stateSize { s[k] = state[k * count + i] }
    return s
  }

  @inline(__always)
  private func store(_ s: SIMD4<Double>, _ i: Int) {
    for k in 0..<Task.stateSize { state[k * count + i] = s[k] }
  }

  private func checkBuffers(_ step: VectorStep) throws(RuntimeError) {
    guard step.observations.shape == observationShape, step.finalObservations.shape == observationShape, step.count == count,
          step.terminated.count == count, step.truncated.count == count else {
      throw .bufferShape(environment: Task.id, expected: "\(count) envs × \(Task.observationSize) floats",
                         got: "\(step.observations.shape) observations, \(step.count) rewards")
    }
  }

  /// The action rows, after checking the tensor's dtype and shape and every value.
  private func checkedActions(_ actions: Tensor) throws(RuntimeError) -> UnsafePointer<Task.Action> {
    let dtype: DType = Task.actionSpace.isDiscrete ? .int32 : .float32
    guard actions.dtype == dtype, actions.shape == actionShape else {
      throw .actionShape(environment: Task.id, expected: "\(dtype)\(actionShape)", got: "\(actions.dtype)\(actions.shape)")
    }
    let rows = UnsafeRawPointer(actions.storage.raw).assumingMemoryBound(to: Task.Action.self)
    for i in 0..<count where !Task.isValid(rows + i * actionStride) {
      let value = (0..<actionStride).map { "\(rows[i * actionStride + $0])" }.joined(separator: ", ")
      throw .invalidAction(environment: Task.id, env: i, value: value)
    }
    return rows
  }
}

/// `CartPole-v1` × N.
public typealias CartPoleEnvironment = ClassicControlEnvironment<CartPole>
/// `Acrobot-v1` × N.
public typealias AcrobotEnvironment = ClassicControlEnvironment<Acrobot>
/// `MountainCar-v0` × N.
public typealias MountainCarEnvironment = ClassicControlEnvironment<MountainCar>
/// `Pendulum-v1` × N.
public typealias PendulumEnvironment = ClassicControlEnvironment<Pendulum>
