import Core
import Foundation
import Runtime

/// One trajectory recorded from Gymnasium 0.29.1 (see Fixtures/README.md): the state set
/// directly after `reset`, the actions taken, and what each step returned.
struct GymnasiumTrajectory: Decodable {
  let id: String
  let state: [Double]
  /// One row per step: `[index]` for discrete tasks, the torque vector for Pendulum.
  let actions: [[Double]]
  let observations: [[Double]]
  /// `env.unwrapped.state` after each step, float64.
  let states: [[Double]]
  let rewards: [Double]
  let terminated: [Bool]
  let truncated: [Bool]

  enum CodingKeys: String, CodingKey { case id, state, actions, observations, states, rewards, terminated, truncated }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .id)
    state = try c.decode([Double].self, forKey: .state)
    if let rows = try? c.decode([[Double]].self, forKey: .actions) {
      actions = rows
    } else {
      actions = try c.decode([Double].self, forKey: .actions).map { [$0] }
    }
    observations = try c.decode([[Double]].self, forKey: .observations)
    states = try c.decode([[Double]].self, forKey: .states)
    rewards = try c.decode([Double].self, forKey: .rewards)
    terminated = try c.decode([Bool].self, forKey: .terminated)
    truncated = try c.decode([Bool].self, forKey: .truncated)
  }

  /// All recorded cases by name.
  static func all() throws -> [String: GymnasiumTrajectory] {
    guard let url = Bundle.module.url(forResource: "gymnasium_trajectories", withExtension: "json", subdirectory: "Fixtures") else {
      throw FixtureMissing()
    }
    return try JSONDecoder().decode([String: GymnasiumTrajectory].self, from: Data(contentsOf: url))
  }

  struct FixtureMissing: Error {}

  /// How far a replay in porecipe strayed from the recording.
  struct Comparison {
    var worstState = 0.0
    var worstObservation = 0.0
    var worstReward = 0.0
    /// The first step whose flags or lengths differ, described.
    var flagMismatch: String?
  }

  /// Replays the actions in env 1 of 3 (so the structure-of-arrays indexing is exercised) and
  /// measures the largest absolute differences.
  func replay<Task: ClassicControlTask>(_ task: Task.Type) throws -> Comparison {
    let env = ClassicControlEnvironment<Task>(count: 3, seed: 11)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    env.setState(of: 1, to: state)
    var actions = Task.actionSpace.isDiscrete ? Tensor(zeros: [3], dtype: .int32) : Tensor(zeros: [3, Task.actionSpace.width])
    var result = Comparison()
    for t in self.actions.indices {
      write(self.actions[t], into: &actions, task: task)
      try env.step(actions: actions, into: &step)
      let isDone = terminated[t] || truncated[t]
      if step.terminated[1] != terminated[t] || step.truncated[1] != truncated[t] || (isDone != (t == self.actions.count - 1)) {
        result.flagMismatch = result.flagMismatch ?? "step \(t): got terminated \(step.terminated[1]) truncated \(step.truncated[1])"
      }
      let arrived = isDone ? nil : env.state(of: 1)
      if let arrived {
        for (a, b) in zip(arrived, states[t]) { result.worstState = Swift.max(result.worstState, Swift.abs(a - b)) }
      }
      for k in 0..<Task.observationSize {
        let got = Double(step.finalObservations[flat: Task.observationSize + k])
        result.worstObservation = Swift.max(result.worstObservation, Swift.abs(got - observations[t][k]))
      }
      result.worstReward = Swift.max(result.worstReward, Swift.abs(Double(step.rewards[1]) - Double(Float(rewards[t]))))
    }
    return result
  }

  private func write<Task: ClassicControlTask>(_ row: [Double], into actions: inout Tensor, task: Task.Type) {
    if Task.actionSpace.isDiscrete {
      let pointer = actions.mutableInt32s()
      for i in 0..<3 { pointer[i] = i == 1 ? Int32(row[0]) : 0 }
    } else {
      let pointer = actions.mutableFloats()
      for i in 0..<3 { for k in row.indices { pointer[i * row.count + k] = i == 1 ? Float(row[k]) : 0 } }
    }
  }
}
