import Core
import Graph
import Runtime

/// Benchmarks of the runtime layer: environment stepping and policy inference, the two
/// per-step costs of a rollout (issue 5 wants the whole PPO loop at ≥ 150k env steps/s).
extension BenchmarkSuite {
  static var runtime: [Benchmark] {
    [cartPoleSteps, mlpPolicyInference, actorCriticForwardBackward, ppoCartPole, ppoMinibatchUpdate]
  }

  /// 64 CartPole-v1 envs stepped 100 times with random actions (drawn beforehand), autoreset
  /// included; the figure counts env steps (64 per vector step).
  static var cartPoleSteps: Benchmark { Benchmark(
    name: "cartpole_steps_per_s", unit: .stepsPerSecond, workPerCall: 64 * 100, iterations: 200
  ) {
    let env = CartPoleEnvironment(count: 64, seed: 0)
    var step = VectorStep(for: env)
    try env.reset(into: &step)
    var rng = Philox(seed: 1)
    let pool = (0..<16).map { _ in Tensor(shape: [64], indices: (0..<64).map { _ in Int32(rng.integer(below: 2)) }) }
    var next = 0
    return {
      for _ in 0..<100 {
        do { try env.step(actions: pool[next & 15], into: &step) } catch {
          preconditionFailure("cartpole_steps_per_s: \(error)")  // valid actions by construction
        }
        next &+= 1
      }
    }
  } }

  /// CleanRL's CartPole agent (4→64→64 tanh actor and critic) on 4 observations: forward
  /// pass, then categorical sampling with log-probs and values into preallocated buffers.
  static var mlpPolicyInference: Benchmark {
    Benchmark(name: "mlp_policy_inference_us", unit: .microseconds, workPerCall: 0, iterations: 20_000, setUp: {
      let (sampler, parameters, observations) = try cleanRLSampler()
      var sample = PolicySample(policy: sampler.policy, count: 4)
      var rng = Philox(seed: 3)
      return {
        do { try sampler.sample(observations: observations, parameters: parameters, rng: &rng, into: &sample) } catch {
          preconditionFailure("mlp_policy_inference_us: \(error)")  // fixed shapes; cannot fail
        }
      }
    }, plan: {
      let (sampler, parameters, observations) = try cleanRLSampler()
      let inputs = parameters + [observations]
      return sampler.executable.describe(timings: try sampler.executable.profile(inputs, runs: 200))
    })
  }

  /// CleanRL's CartPole agent with fresh parameters, its sampler for 4 envs, and 4 observations.
  static func cleanRLSampler() throws -> (PolicySampler, [Tensor], Tensor) {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2))
    var rng = Philox(seed: 2)
    let parameters = try policy.initialParameters(rng: &rng)
    let observations = Tensor(shape: [4, 4], scalars: [0.01, -0.02, 0.03, 0.04, 0.1, 0.2, -0.05, -0.3,
                                                       -0.4, 0.5, 0.02, 0.01, 1.2, -0.7, 0.1, 0.6])
    return (try PolicySampler(policy: policy, count: 4), parameters, observations)
  }

  /// Forward + backward of CleanRL's CartPole agent under a PPO-shaped loss (clipped
  /// surrogate, squared value error, entropy bonus) on a minibatch of 128: the graph part of
  /// one minibatch update, without the optimizer (PyTorch's whole update: ~1.6 ms).
  static var actorCriticForwardBackward: Benchmark {
    Benchmark(name: "actor_critic_fwd_bwd_us", unit: .microseconds, workPerCall: 0, iterations: 2000, setUp: {
      let (executable, inputs) = try actorCriticTraining()
      return { _ = try? executable.run(inputs) }
    }, plan: {
      let (executable, inputs) = try actorCriticTraining()
      return executable.describe(timings: try executable.profile(inputs, runs: 200))
    })
  }

  static func actorCriticTraining() throws -> (Executable, [Tensor]) {
    let policy = try ActorCritic(observationSize: 4, actionSpace: .discrete(count: 2))
    let batch = 128
    let training = try policy.trainingGraph(batchSize: batch) { terms in
      let g = terms.builder
      let oldLogProbs = g.input("old_logp", [batch]), advantages = g.input("advantages", [batch])
      let returns = g.input("returns", [batch])
      let ratio = exp(terms.logProbs - oldLogProbs)
      let policyLoss = max(-advantages * ratio, -advantages * clip(ratio, 0.8, 1.2)).mean()
      let valueLoss = (square(terms.values - returns) * 0.5).mean()
      return .init(loss: policyLoss - terms.entropy.mean() * 0.01 + valueLoss * 0.5)
    }
    var rng = Philox(seed: 5)
    let parameters = try policy.initialParameters(rng: &rng)
    let batchInputs = [
      Tensor.normal(shape: [batch, 4], rng: &rng),
      Tensor(shape: [batch], indices: (0..<batch).map { Int32($0 % 2) }),
      Tensor(repeating: -0.69, shape: [batch]),
      Tensor.normal(shape: [batch], rng: &rng),
      Tensor.normal(shape: [batch], rng: &rng),
    ]
    return (try Planner.plan(training.graph), parameters + batchInputs)
  }
}

extension BenchmarkSuite {
  /// `recipes/ppo.yaml`'s trainer (CleanRL's hyperparameters) on CartPole: whole iterations of
  /// 4 envs × 128 steps, rollout, GAE and 4 epochs × 4 minibatch updates; the figure counts
  /// env steps (CleanRL ~5,300/s, PureJaxRL ~150,000/s on this machine).
  static var ppoCartPole: Benchmark { Benchmark(
    name: "ppo_cartpole_sps", unit: .stepsPerSecond, workPerCall: 512, iterations: 100
  ) {
    let trainer = try cleanRLTrainer()
    return {
      do { try trainer.runIteration() } catch { preconditionFailure("ppo_cartpole_sps: \(error)") }  // finite by construction
    }
  } }

  /// One of those minibatch updates: gather 128 rows, forward + backward, gradient clipping,
  /// Adam (PyTorch's CleanRL update: ~1.6 ms).
  static var ppoMinibatchUpdate: Benchmark {
    Benchmark(name: "ppo_minibatch_update_us", unit: .microseconds, workPerCall: 0, iterations: 2000) {
      let trainer = try cleanRLTrainer()
      try trainer.runIteration()
      return {
        do { try trainer.updateOneMinibatch() } catch { preconditionFailure("ppo_minibatch_update_us: \(error)") }
      }
    }
  }

  /// CleanRL's configuration, with room for as many iterations as a benchmark runs.
  static func cleanRLTrainer() throws -> Trainer {
    var configuration = TrainerConfiguration()
    configuration.totalSteps = 512 * 1_000_000
    return try Trainer(task: "cartpole", configuration: configuration)
  }
}
