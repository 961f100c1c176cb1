/// GAE over a rollout of T steps × N environments laid out step-major (`t · N + i`), the
/// environment form of the `gae` block:
///
///     δ_t = r_t + γ·B_t − V_t        A_t = δ_t + γλ·(1 − done_t)·A_{t+1}      R_t = A_t + V_t
///
/// where the bootstrap B_t is 0 after a termination, V(s_T) of the episode's final
/// observation after a truncation (when `bootstrapTruncated`; 0 otherwise), and V_{t+1}
/// otherwise (V of the observation after the rollout for the last step). An episode that
/// ends at t (terminated or truncated) does not pass A_{t+1} back: the next row is another
/// episode.
///
/// - Paper: GAE, Schulman et al. 2015 (arXiv:1506.02438); partial-episode bootstrapping after
///   Pardo et al. 2018, "Time Limits in Reinforcement Learning" (arXiv:1712.00378).
/// - Matches: CleanRL `ppo.py` when no episode is truncated (CleanRL treats truncation as
///   termination).
public enum GeneralizedAdvantage {
  /// Writes advantages and returns (`[T · N]` each) for the rollout.
  ///
  /// - Parameters:
  ///   - truncationValues: V(final observation) at each truncated step (read only there).
  ///   - nextValues: `[N]` V of the observations after the last step.
  public static func compute(rewards: UnsafePointer<Float>, values: UnsafePointer<Float>, terminated: UnsafePointer<Bool>,
                             truncated: UnsafePointer<Bool>, truncationValues: UnsafePointer<Float>,
                             nextValues: UnsafePointer<Float>, envs: Int, steps: Int, gamma: Double, lambda: Double,
                             bootstrapTruncated: Bool, advantages: UnsafeMutablePointer<Float>,
                             returns: UnsafeMutablePointer<Float>) {
    let discount = Float(gamma), trace = Float(gamma * lambda)
    for i in 0..<envs {
      var carry: Float = 0
      var t = steps - 1
      while t >= 0 {
        let index = t * envs + i
        let bootstrap: Float
        if terminated[index] {
          bootstrap = 0
        } else if truncated[index] {
          bootstrap = bootstrapTruncated ? truncationValues[index] : 0
        } else {
          bootstrap = t == steps - 1 ? nextValues[i] : values[index + envs]
        }
        if terminated[index] || truncated[index] { carry = 0 }
        let delta = rewards[index] + discount * bootstrap - values[index]
        carry = delta + trace * carry
        advantages[index] = carry
        returns[index] = carry + values[index]
        t -= 1
      }
    }
  }

  /// Arrays in, arrays out (tests and small tools).
  public static func compute(rewards: [Float], values: [Float], terminated: [Bool], truncated: [Bool],
                             truncationValues: [Float], nextValues: [Float], envs: Int, gamma: Double, lambda: Double,
                             bootstrapTruncated: Bool = true) -> (advantages: [Float], returns: [Float]) {
    let count = rewards.count
    precondition(values.count == count && terminated.count == count && truncated.count == count
                 && truncationValues.count == count && nextValues.count == envs && count % envs == 0)
    var advantages = [Float](repeating: 0, count: count), returns = [Float](repeating: 0, count: count)
    advantages.withUnsafeMutableBufferPointer { a in
      returns.withUnsafeMutableBufferPointer { r in
        compute(rewards: rewards, values: values, terminated: terminated, truncated: truncated, truncationValues: truncationValues,
                nextValues: nextValues, envs: envs, steps: count / envs, gamma: gamma, lambda: lambda,
                bootstrapTruncated: bootstrapTruncated, advantages: a.baseAddress!, returns: r.baseAddress!)
      }
    }
    return (advantages, returns)
  }
}
