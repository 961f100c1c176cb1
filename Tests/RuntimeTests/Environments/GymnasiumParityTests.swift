import Core
import Runtime
import Testing

/// Trajectories from fixed states and fixed actions against Gymnasium 0.29.1's, through
/// termination and truncation (Fixtures/README.md says how they were recorded).
@Suite struct GymnasiumParityTests {
  static let trajectories = Result { try GymnasiumTrajectory.all() }

  /// Bit for bit: float64 states, float32 observations and rewards (Gymnasium's float64 rounded
  /// to float32, as `VectorStep` holds them) equal; flags on the same steps.
  func check<Task: ClassicControlTask>(_ name: String, _ task: Task.Type) throws {
    let trajectory = try #require(try Self.trajectories.get()[name])
    #expect(trajectory.id == Task.id)
    let comparison = try trajectory.replay(task)
    #expect(comparison.flagMismatch == nil, "\(name): \(comparison.flagMismatch ?? "")")
    #expect(comparison.worstState == 0, "\(name): state differs by \(comparison.worstState)")
    #expect(comparison.worstObservation == 0, "\(name): observation differs by \(comparison.worstObservation)")
    #expect(comparison.worstReward == 0, "\(name): reward differs by \(comparison.worstReward)")
  }

  @Test("CartPole-v1 matches Gymnasium step for step", arguments: ["cartpole_random", "cartpole_balanced", "cartpole_cart_leaves"])
  func cartPole(name: String) throws { try check(name, CartPole.self) }

  @Test("Acrobot-v1 matches Gymnasium step for step", arguments: ["acrobot_random", "acrobot_pumped"])
  func acrobot(name: String) throws { try check(name, Acrobot.self) }

  @Test("MountainCar-v0 matches Gymnasium step for step", arguments: ["mountaincar_random", "mountaincar_momentum", "mountaincar_left_wall"])
  func mountainCar(name: String) throws { try check(name, MountainCar.self) }

  @Test("Pendulum-v1 matches Gymnasium step for step", arguments: ["pendulum_random", "pendulum_spin"])
  func pendulum(name: String) throws { try check(name, Pendulum.self) }
}

/// Spaces and time limits as `gymnasium.make(id)` reports them (0.29.1), and every recorded
/// observation inside its space.
@Suite struct GymnasiumSpacesTests {
  // Printed by `[float(x) for x in gym.make(id).observation_space.high]` and `spec.max_episode_steps`.
  @Test("observation bounds and time limits equal Gymnasium's")
  func bounds() {
    let float32Max = Float.greatestFiniteMagnitude
    #expect(CartPole.observationBounds.high == [4.800000190734863, float32Max, 0.41887903213500977, float32Max])
    #expect(Acrobot.observationBounds.high == [1, 1, 1, 1, 12.566370964050293, 28.274333953857422])
    #expect(MountainCar.observationBounds.low == [-1.2000000476837158, -0.07000000029802322])
    #expect(MountainCar.observationBounds.high == [0.6000000238418579, 0.07000000029802322])
    #expect(Pendulum.observationBounds.high == [1, 1, 8])
    for bounds in [CartPole.observationBounds, Acrobot.observationBounds, Pendulum.observationBounds] {
      #expect(bounds.low == bounds.high.map { -$0 })
    }
    #expect([CartPole.maxEpisodeSteps, Acrobot.maxEpisodeSteps, MountainCar.maxEpisodeSteps, Pendulum.maxEpisodeSteps] == [500, 500, 200, 200])
    #expect(CartPole.actionSpace == .discrete(count: 2) && Acrobot.actionSpace == .discrete(count: 3))
    #expect(MountainCar.actionSpace == .discrete(count: 3) && Pendulum.actionSpace == .box(low: [-2], high: [2]))
  }

  @Test("every recorded observation lies inside the declared bounds")
  func recordedInside() throws {
    let all = try GymnasiumParityTests.trajectories.get()
    let bounds: [String: (low: [Float], high: [Float])] = [
      "CartPole-v1": CartPole.observationBounds, "Acrobot-v1": Acrobot.observationBounds,
      "MountainCar-v0": MountainCar.observationBounds, "Pendulum-v1": Pendulum.observationBounds,
    ]
    for (name, trajectory) in all {
      let (low, high) = try #require(bounds[trajectory.id])
      // CartPole's final observation may lie past the thresholds it terminated on, not past 2×.
      for observation in trajectory.observations {
        #expect(zip(observation, zip(low, high)).allSatisfy { x, b in Float(x) >= b.0 && Float(x) <= b.1 }, "\(name)")
      }
    }
  }
}
