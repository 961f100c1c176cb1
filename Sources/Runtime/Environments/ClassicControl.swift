/// The classic-control tasks by their recipe names (`task: {cartpole: {}}`).
public enum ClassicControl {
  /// Recipe names in the order `porecipe blocks` lists them.
  public static let taskNames = ["cartpole", "acrobot", "mountain_car", "pendulum"]

  /// `count` environments of the task named `name`, seeded from `seed`; nil for an unknown name.
  public static func environment(named name: String, count: Int, seed: UInt64) -> (any VectorEnvironment)? {
    switch name {
    case "cartpole": CartPoleEnvironment(count: count, seed: seed)
    case "acrobot": AcrobotEnvironment(count: count, seed: seed)
    case "mountain_car": MountainCarEnvironment(count: count, seed: seed)
    case "pendulum": PendulumEnvironment(count: count, seed: seed)
    default: nil
    }
  }
}
