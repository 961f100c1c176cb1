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
