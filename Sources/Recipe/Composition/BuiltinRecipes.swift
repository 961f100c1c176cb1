// Generated from recipes/*.yaml by RecipeTests (PORECIPE_UPDATE_FIXTURES=1 swift test); do not edit.

/// The recipes shipped inside porecipe, by name, so `extends: grpo` works from anywhere.
public enum BuiltinRecipes {
  public static let files: [String: String] = [
    "a2c": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # A2C: 5-step returns with a value baseline, the ratio-free policy gradient, MSE critic,
    # entropy bonus; one update per rollout. Values from RL-Zoo's (Stable-Baselines3) CartPole
    # tuning: 8 envs × 5 steps, no entropy bonus, lr 7e-4, grad clip 0.5; Adam stands in for the
    # paper's (and SB3's) RMSprop, which porecipe does not have.
    recipe: a2c
    paper: {title: "Asynchronous Methods for Deep Reinforcement Learning", authors: "Mnih et al.", year: 2016}
    extends: ppo
    rollout: {envs: 8, steps: 5}
    advantage:
      returns: {gamma: 0.99, baseline: value, n: 5}
    objective:
      clip: none
      a2c: {}
      value: {loss: mse, coef: 0.5}
      entropy: {coef: 0.0}
    optimizer:
      adam: {lr: 7.0e-4, grad_clip: 0.5}
    train: {total_steps: 500000, epochs: 1, minibatches: 1, seed: 1}

    """#,
    "cdpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # Conservative DPO = DPO with label smoothing: each pair's label is taken as flipped with
    # probability ε, so the loss stops pushing once σ(β·h) reaches 1 − ε. porecipe keeps this form
    # (recent TRL ignores label_smoothing for its sigmoid loss).
    recipe: cdpo
    paper: {title: "A Note on DPO with Noisy Preferences & Relationship to IPO", authors: "Mitchell", year: 2023, url: "https://ericmitchell.ai/cdpo.pdf"}
    extends: dpo
    objective:
      dpo: {beta: 1.0, label_smoothing: 0.1}

    """#,
    "cispo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # CISPO = GRPO with the clipped importance weight (detached) in place of the clipped surrogate,
    # token-mean aggregation and no KL. high: 0.28 is DAPO's clip-higher bound, a starting point to tune.
    recipe: cispo
    paper: {title: "MiniMax-M1: Scaling Test-Time Compute Efficiently with Lightning Attention", arxiv: "2506.13585", year: 2025}
    extends: grpo
    objective:
      clip: none
      cispo: {high: 0.28}
      kl: none
      aggregate: token_mean

    """#,
    "cppo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # CPPO = GRPO that trains only on the half of each group with the largest |advantage|.
    recipe: cppo
    paper: {title: "CPPO: Accelerating the Training of Group Relative Policy Optimization-Based Reasoning Models", arxiv: "2503.22342", year: 2025}
    extends: grpo
    filter:
      cppo_prune: {keep: 0.5, refill: false}

    """#,
    "dapo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # DAPO = GRPO + clip-higher + token-mean + dynamic sampling + overlong shaping - KL.
    recipe: dapo
    paper: {title: "DAPO: An Open-Source LLM Reinforcement Learning System at Scale", authors: "Yu et al.", arxiv: "2503.14476", year: 2025}
    extends: grpo
    reward:
      verifier: {pass: 1.0, fail: -1.0}
      overlong: {max: 16, cache: 4, penalty: 1.0}
    filter:
      dynamic_sampling: {metric: acc}
    objective:
      clip: {low: 0.2, high: 0.28}
      kl: none
      aggregate: token_mean

    """#,
    "dpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # DPO on preference pairs ranked by the arithmetic task's verifier: 4 answers per prompt from
    # the warm-started policy, one correct against one incorrect answer; 64 steps (a pass over
    # the pairs is train.minibatches = 16 steps). β = 1, not the paper's 0.1: at 0.1 the chosen
    # log-probs sink with the rejected ones and greedy accuracy falls below the warm start here.
    recipe: dpo
    paper: {title: "Direct Preference Optimization: Your Language Model is Secretly a Reward Model", authors: "Rafailov et al.", arxiv: "2305.18290", year: 2023}
    task:
      preference: {from: arithmetic, pairs: 1024}
    policy:
      transformer: {layers: 2, width: 128, heads: 4, context: 64}
      warm_start: {sft: {until_accuracy: 0.25, max_steps: 2000, lr: 5.0e-4}}
    objective:
      dpo: {beta: 1.0, label_smoothing: 0.0}
    optimizer:
      adamw: {lr: 1.0e-4, weight_decay: 0.0}
    train: {iterations: 64, epochs: 1, minibatches: 16, eval_every: 16, seed: 0}

    """#,
    "dr_grpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # Dr. GRPO = GRPO without the std division, with a constant-normalized token sum and no KL.
    recipe: dr_grpo
    paper: {title: "Understanding R1-Zero-Like Training: A Critical Perspective", authors: "Liu et al.", arxiv: "2503.20783", year: 2025}
    extends: grpo
    advantage:
      group_norm: {std: false}
    objective:
      kl: none
      aggregate: {mode: seq_mean_token_sum_norm, norm: 16}

    """#,
    "grpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # GRPO: group-normalized outcome advantage, clipped token ratio, k3 KL in the loss, seq-mean of token-means
    # (the original aggregation). Adam 1e-4 (seeds 1-3 gain 49/39/42 points; 2e-4: 39/41/38); warm start at 5e-4.
    recipe: grpo
    paper: {title: "DeepSeekMath: Pushing the Limits of Mathematical Reasoning in Open Language Models", authors: "Shao et al.", year: 2024}
    task:
      arithmetic: {digits: 2}
    policy:
      transformer: {layers: 2, width: 128, heads: 4, context: 64}
      warm_start: {sft: {until_accuracy: 0.25, max_steps: 2000, lr: 5.0e-4}}
    rollout: {prompts: 32, group: 8, max_tokens: 16, temperature: 1.0}
    reward:
      verifier: {weight: 1.0}
    advantage:
      group_norm: {std: true, eps: 1.0e-6}
    objective:
      ratio: token
      clip: {low: 0.2}
      kl: {estimator: k3, coef: 0.04, in: loss}
      aggregate: seq_mean_token_mean
    optimizer:
      adam: {lr: 1.0e-4}
    train: {iterations: 300, epochs: 1, minibatches: 2, seed: 0}

    """#,
    "gspo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # GSPO = GRPO with the length-normalized sequence ratio, tiny clip bounds and no KL.
    recipe: gspo
    paper: {title: "Group Sequence Policy Optimization", authors: "Zheng et al.", arxiv: "2507.18071", year: 2025}
    extends: grpo
    objective:
      ratio: sequence
      clip: {low: 3.0e-4, high: 4.0e-4}
      kl: none
      aggregate: seq_mean_token_mean
    train: {minibatches: 4}

    """#,
    "hapo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # HAPO: GRPO plus a history-aware length reward — a correct answer shorter than the
    # shortest correct answer seen for its prompt earns a bonus, a longer one a penalty.
    recipe: hapo
    paper: {title: "HAPO: Training Language Models to Reason Concisely via History-Aware Policy Optimization", arxiv: "2505.11225", year: 2025}
    extends: grpo
    reward:
      verifier: {weight: 1.0}
      length_history: {weight: 0.5}

    """#,
    "ipo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # IPO: a squared loss that drives the log-ratio margin to 1/(2τ) instead of to infinity;
    # each log-ratio is divided by its response's length first (TRL's form, confirmed with the
    # authors per TRL's notes).
    recipe: ipo
    paper: {title: "A General Theoretical Paradigm to Understand Learning from Human Preferences", authors: "Azar et al.", arxiv: "2310.12036", year: 2023}
    extends: dpo
    objective:
      ipo: {beta: 0.1, average: true}

    """#,
    "kto": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # KTO: unpaired responses, each desirable (correct) or undesirable (incorrect), measured
    # against a KL reference point z0 estimated on mismatched prompt-response pairs.
    recipe: kto
    paper: {title: "KTO: Model Alignment as Prospect Theoretic Optimization", authors: "Ethayarajh et al.", arxiv: "2402.01306", year: 2024}
    extends: dpo
    objective:
      kto: {beta: 0.1, desirable_weight: 1.0, undesirable_weight: 1.0}

    """#,
    "lipo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # LiPO-λ: lists of K = 4 sampled answers ranked by the sorting task's partial credit, a
    # pairwise logistic loss on every ordered pair weighted by LambdaRank's gain and rank discount.
    recipe: lipo
    paper: {title: "LiPO: Listwise Preference Optimization through Learning-to-Rank", authors: "Liu et al.", year: 2024}
    extends: dpo
    task:
      preference: {from: sorting, pairs: 512, samples: 4}
    objective:
      lipo: {beta: 0.1, list_size: 4, weighting: lambda}

    """#,
    "mdpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # MDPO (on-policy): the importance-weighted surrogate minus an annealed KL(new ‖ old) to the
    # policy at the iteration's start, several SGD steps per iteration. The KL weight 1/t_k,
    # t_k = 1 - k/K, grows from 1 over the run (capped at 100 in the last 1% of iterations).
    # train.epochs repeats mdpo.steps (m passes over each rollout), as `porecipe run` requires.
    recipe: mdpo
    paper: {title: "Mirror Descent Policy Optimization", authors: "Tomar et al.", year: 2020}
    extends: ppo
    objective:
      clip: none
      entropy: none
      mdpo: {steps: 10, schedule: linear_anneal}
    train: {epochs: 10}

    """#,
    "online_dpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # Online DPO: pairs come from the policy's own group rollouts, scored by the task's verifier
    # (best against worst answer of each group of 4) instead of a fixed dataset.
    recipe: online_dpo
    paper: {title: "Direct Language Model Alignment from Online AI Feedback", authors: "Guo et al.", arxiv: "2402.04792", year: 2024}
    extends: dpo
    task:
      arithmetic: {digits: 2}
    rollout: {prompts: 16, group: 4, pairs: best_worst, max_tokens: 16, temperature: 1.0}
    train: {iterations: 300, eval_every: 50}

    """#,
    "orpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # ORPO: the chosen response's NLL plus λ times an odds-ratio preference term, no reference
    # model: supervised learning and preference alignment in one loss.
    recipe: orpo
    paper: {title: "ORPO: Monolithic Preference Optimization without Reference Model", authors: "Hong et al.", arxiv: "2403.07691", year: 2024}
    extends: dpo
    objective:
      orpo: {lambda: 0.1}

    """#,
    "ppo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # PPO (clip) on CartPole with CleanRL's hyperparameters.
    recipe: ppo
    paper: {title: "Proximal Policy Optimization Algorithms", authors: "Schulman et al.", arxiv: "1707.06347", year: 2017}
    task:
      cartpole: {max_episode_steps: 500}
    policy:
      mlp: {hidden: [64, 64], activation: tanh}
    rollout: {envs: 4, steps: 128}
    advantage:
      gae: {gamma: 0.99, lambda: 0.95, normalize: minibatch}
    objective:
      ratio: token
      clip: {low: 0.2}
      value: {loss: clipped, coef: 0.5, clip: 0.2}
      entropy: {coef: 0.01}
      aggregate: token_mean
    optimizer:
      adam: {lr: 2.5e-4, eps: 1.0e-5, grad_clip: 0.5}
    schedule:
      lr: {linear: {to: 0.0}}
    train: {total_steps: 500000, epochs: 4, minibatches: 4, seed: 1}

    """#,
    "ppo_continuous": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # PPO (clip) on Pendulum with a diagonal-Gaussian head, tuned as RL-Zoo tunes PPO for
    # Pendulum-v1 (SB3 defaults otherwise): 4 envs × 1024 steps, γ 0.9, λ 0.95, 10 epochs of
    # minibatches of 64, lr 1e-3 (Adam eps 1e-5), gradient clip 0.5, no entropy bonus, unclipped
    # MSE value loss, a constant rate, gSDE with its noise redrawn every 4 steps; plus
    # observation normalization and reward scaling (rollout.normalize, SB3's VecNormalize).
    # `--set policy.mlp.exploration=gaussian` (a learned state-independent log std) also
    # reaches −400.
    recipe: ppo_continuous
    paper: {title: "Proximal Policy Optimization Algorithms", authors: "Schulman et al.", arxiv: "1707.06347", year: 2017}
    extends: ppo
    task:
      cartpole: none
      pendulum: {max_episode_steps: 200}
    policy:
      mlp: {hidden: [64, 64], activation: tanh, log_std_init: 0.0, exploration: state_dependent, sde_sample_freq: 4}
    rollout:
      envs: 4
      steps: 1024
      normalize: {observations: true, rewards: true, clip: 10.0}
    advantage:
      gae: {gamma: 0.9, lambda: 0.95, normalize: minibatch}
    objective:
      value: {loss: mse, coef: 0.5}
      entropy: {coef: 0.0}
    optimizer:
      adam: {lr: 1.0e-3, eps: 1.0e-5, grad_clip: 0.5}
    schedule: none
    train: {total_steps: 1000000, epochs: 10, minibatches: 64, seed: 1}

    """#,
    "ppo_penalty": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # PPO with the adaptive KL penalty instead of clipping: surrogate minus beta·KL(old ‖ new),
    # beta halved or doubled towards a target KL after each update. The k3 estimate of the KL
    # lets `porecipe eval` compute it from sampled actions. lr 1e-3 (ppo's 2.5e-4 keeps the KL
    # far below the target, so β only halves and the penalty never acts).
    recipe: ppo_penalty
    paper: {title: "Proximal Policy Optimization Algorithms", authors: "Schulman et al.", arxiv: "1707.06347", year: 2017}
    extends: ppo
    objective:
      clip: none
      ppo_penalty: {target: 0.01, beta_init: 1.0, estimator: k3}
    optimizer:
      adam: {lr: 1.0e-3}

    """#,
    "ppo_token": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # PPO with a critic on a token task (verl's and OpenRLHF's flagship setting): a value head on
    # the transformer, GAE over the response tokens, the clipped surrogate and a clipped value
    # loss, token-mean aggregation.
    recipe: ppo_token
    paper: {title: "Proximal Policy Optimization Algorithms", authors: "Schulman et al.", arxiv: "1707.06347", year: 2017}
    extends: grpo
    policy:
      transformer: {value_head: true}
    advantage:
      gae: {gamma: 1.0, lambda: 1.0, normalize: batch}
    objective:
      clip: {low: 0.2}
      kl: none
      value: {loss: clipped, coef: 0.5, clip: 0.2}
      aggregate: token_mean

    """#,
    "pro": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # PRO: Plackett-Luce over lists of K = 4 sampled answers ranked by the sorting task's partial
    # credit, on length-normalized log-likelihoods (no reference), plus the best answer's NLL.
    # A fixed temperature stands in for the paper's reward-gap temperatures; sft_weight 0.05 is a
    # starting point, not confirmed against the paper.
    recipe: pro
    paper: {title: "Preference Ranking Optimization for Human Alignment", authors: "Song et al.", year: 2023}
    extends: dpo
    task:
      preference: {from: sorting, pairs: 512, samples: 4}
    objective:
      pro: {sft_weight: 0.05, temperature: 1.0}

    """#,
    "rdpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # Robust DPO: the DPO loss debiased for a known rate ε of flipped labels, an unbiased estimate
    # of the clean-label loss (divided by 1 − 2ε).
    recipe: rdpo
    paper: {title: "Provably Robust DPO: Aligning Language Models with Noisy Feedback", authors: "Chowdhury et al.", arxiv: "2403.00409", year: 2024}
    extends: dpo
    objective:
      robust: {beta: 1.0, label_smoothing: 0.1}

    """#,
    "reinforce_pp": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # REINFORCE++: token-level return of reward minus k1 KL, whitened over the batch; no critic,
    # no group; PPO clipping and token-mean aggregation.
    recipe: reinforce_pp
    paper: {title: "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language Models", arxiv: "2501.03262", year: 2025}
    extends: grpo
    rollout: {prompts: 256, group: 1}
    advantage:
      reinforce_pp: {gamma: 1.0}
    objective:
      clip: {low: 0.2}
      kl: {estimator: k1, coef: 0.01, in: reward}
      aggregate: token_mean

    """#,
    "reinforce_pp_baseline": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # REINFORCE++-baseline: reward minus the group mean on every token, whitened over the batch;
    # k3 KL in the loss, PPO clipping, token-mean aggregation.
    recipe: reinforce_pp_baseline
    paper: {title: "REINFORCE++: A Simple and Efficient Approach for Aligning Large Language Models", arxiv: "2501.03262", year: 2025}
    extends: grpo
    advantage:
      reinforce_pp_baseline: {}
    objective:
      clip: {low: 0.2}
      kl: {estimator: k3, coef: 0.001, in: loss}
      aggregate: token_mean

    """#,
    "remax": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # ReMax: reward minus the reward of a greedy response to the same prompt, k1 KL in the
    # reward, ratio-free policy gradient (no clipping), sequence sums.
    recipe: remax
    paper: {title: "ReMax: A Simple, Effective, and Efficient Reinforcement Learning Method for Aligning Large Language Models", authors: "Li et al.", arxiv: "2310.10505", year: 2023}
    extends: grpo
    rollout: {prompts: 256, group: 1}
    advantage:
      remax: {}
    objective:
      clip: none
      kl: {estimator: k1, coef: 0.01, in: reward}
      aggregate: seq_mean_token_sum

    """#,
    "rloo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # RLOO: leave-one-out baseline, sequence-level k1 KL in the reward, sequence sums.
    recipe: rloo
    paper: {title: "Back to Basics: Revisiting REINFORCE Style Optimization for Learning from Human Feedback in LLMs", authors: "Ahmadian et al.", arxiv: "2402.14740", year: 2024}
    extends: grpo
    advantage:
      rloo: {}
    objective:
      kl: {estimator: k1, coef: 0.05, in: reward}
      aggregate: seq_mean_token_sum

    """#,
    "rso": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # RSO: 8 candidates per prompt from the warm-started (SFT) policy, accepted by statistical
    # rejection sampling toward the reward-tilted policy π_sft·exp(r/β), β = 0.5, paired by
    # reward, and trained with the normalized hinge loss.
    recipe: rso
    paper: {title: "Statistical Rejection Sampling Improves Preference Optimization", authors: "Liu et al.", arxiv: "2309.06657", year: 2023}
    extends: dpo
    task:
      preference: {from: arithmetic, pairs: 1024, samples: 8, sampling: rejection, rejection_beta: 0.5}
    objective:
      hinge: {beta: 0.1, ref: true}

    """#,
    "simpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # SimPO: no reference model; the implicit reward is the length-normalized log-likelihood
    # β·logp/L, and a target margin γ separates chosen from rejected. β 2.0, γ 1.0 (γ/β = 0.5).
    recipe: simpo
    paper: {title: "SimPO: Simple Preference Optimization with a Reference-Free Reward", authors: "Meng et al.", arxiv: "2405.14734", year: 2024}
    extends: dpo
    objective:
      simpo: {beta: 2.0, gamma: 1.0}

    """#,
    "slic": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # SLiC-HF: a hinge on the policy's own log-likelihood margin, max(0, δ − (logp(y_w) − logp(y_l))),
    # with no reference model. The paper adds a cross-entropy regularizer on the SFT targets
    # (sft_weight); pair data carries no such target here, so it is off.
    recipe: slic
    paper: {title: "SLiC-HF: Sequence Likelihood Calibration with Human Feedback", authors: "Zhao et al.", arxiv: "2305.10425", year: 2023}
    extends: dpo
    objective:
      hinge: {ref: false, delta: 1.0, sft_weight: 0.0}

    """#,
    "trpo": #"""
    # yaml-language-server: $schema=../Grammar/recipe.schema.json
    # TRPO: the importance-weighted surrogate under a mean-KL trust region, stepped by conjugate
    # gradient and a backtracking line search; the critic is fit separately (train.epochs ×
    # train.minibatches of Adam on the value loss). `eval` computes the surrogate and reports
    # the KL the constraint bounds. Values from RL-Zoo's (SB3-contrib) CartPole tuning: 2 envs ×
    # 512 steps, λ 0.98, damping 1e-3, 15 CG iterations, 20 critic epochs of 2 minibatches at
    # lr 1e-3, no gradient clipping, a constant rate.
    recipe: trpo
    paper: {title: "Trust Region Policy Optimization", authors: "Schulman et al.", year: 2015}
    extends: ppo
    rollout: {envs: 2, steps: 512}
    advantage:
      gae: {gamma: 0.99, lambda: 0.98, normalize: batch}
    objective:
      clip: none
      entropy: none
      value: {loss: mse, coef: 0.5}
      trpo: {max_kl: 0.01, cg_iters: 15, damping: 0.001}
    optimizer:
      adam: {lr: 1.0e-3, eps: 1.0e-5, grad_clip: null}
    schedule: none
    train: {total_steps: 1000000, epochs: 20, minibatches: 2, seed: 1}

    """#,
  ]
}
