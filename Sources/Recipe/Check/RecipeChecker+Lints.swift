import Blocks
import Diagnostics

extension RecipeChecker {
  /// Whole-recipe rules, after every section is typed: required sections for the task
  /// kind, a task that does not fit the objective, slots a method needs, values that
  /// contradict each other (errors), and legal but suspicious combinations (warnings).
  mutating func lint(root: YAMLNode, file: String) {
    checkSchedulePaths()
    let objective = blocksInUse[.objective] ?? []
    let preference = objective.first { $0.kind == .preference }
    let policyGradient = objective.contains { $0.kind.isPolicyGradient } || keys["objective.expr"] != nil && expressions["objective.expr"] != nil
    let task = blocksInUse[.task]?.first
    let trains = task != nil
    let start = YAMLNode(.scalar("", .plain), span: .start(of: file))

    // Required sections.
    var required: [Section] = [.objective]
    if trains { required += [.policy, .optimizer, .train] }
    // A preference loss on a token task pairs the answers of each sampled group (online).
    let online = preference != nil && task?.kind == .tokenTask
    if trains && (preference == nil || online) { required.append(.rollout) }
    if preference == nil && (policyGradient || objective.isEmpty) && !(keys["objective.expr"] != nil && keys["advantage"] == nil && expressions["objective.expr"].map { !$0.inputs.contains("adv") } == true) {
      required.append(.advantage)
    }
    let missing = required.filter { keys[$0.rawValue] == nil }
    if !missing.isEmpty {
      let why = trains ? "a recipe that trains on '\(task?.name ?? "")' needs" : "a recipe needs"
      error(.missingSection, "missing section\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0.rawValue)'" }.joined(separator: ", "))",
            at: start, notes: ["\(why) \(required.map { "'\($0.rawValue)'" }.joined(separator: ", "))"],
            help: ["add \(missing.count > 1 ? "them" : "it"), or start from a built-in recipe with 'extends: grpo'"])
    }

    // The task kind decides the objective kind.
    if let task, let taskKey = keys["task.\(task.name)"] {
      if task.kind == .preferenceTask, preference == nil, let first = objective.first(where: { $0.kind.isPolicyGradient }), let key = keys[first.path] {
        let at = preferred(taskKey, key) ?? taskKey
        let other = at == taskKey ? key : taskKey
        let (labels, notes) = related(other, at == taskKey ? "policy-gradient term '\(first.name)' here" : "preference dataset here", primary: at)
        report(.error, .taskMismatch, "the task '\(task.name)' is a preference dataset, but the objective has the policy-gradient term '\(first.name)'",
               at: at, notes: notes, help: ["use a preference loss such as 'objective: {dpo: {beta: 0.1}}'"], secondary: labels)
      } else if task.kind == .environmentTask, let preference, let key = keys[preference.path] {
        let (labels, notes) = related(taskKey, "task here", primary: key)
        report(.error, .taskMismatch, "'\(preference.name)' is a preference loss, but the task '\(task.name)' is \(task.kind.noun) without pairs",
               at: key, notes: notes, help: ["train on 'preference: {from: arithmetic}'"], secondary: labels)
      } else if online, let preference, let key = keys[preference.path],
                let group = values["rollout.group"]?.value.number, group < 2 {
        let groupNode = nodes["rollout.group"] ?? keys["rollout.group"]
        let at = preferred(groupNode, key) ?? key
        let (labels, notes) = related(at == key ? (groupNode ?? taskKey) : key,
                                      at == key ? (groupNode != nil ? "group size here" : "task here") : "preference loss '\(preference.name)' here", primary: at)
        report(.error, .taskMismatch, "'\(preference.name)' is a preference loss on the token task '\(task.name)', but a group of \(Int(group)) answer per prompt gives no pairs",
               at: at, notes: notes + ["online preference pairs compare the answers sampled for the same prompt"],
               help: ["set 'rollout: {group: 4}' to pair answers online, or train on 'preference: {from: \(task.name)}'"], secondary: labels)
      }
    }

    // Slots a method needs.
    let valueOn = objective.contains { $0.name == "value" }
    if trains, !valueOn, let estimator = blocksInUse[.advantage]?.first(where: { $0.kind == .estimator }), let key = keys[estimator.path] {
      let needsCritic = (estimator.name == "gae" && values["advantage.gae.critic"]?.value == .string("trained"))
        || (estimator.name == "returns" && values["advantage.returns.baseline"]?.value == .string("value"))
      if needsCritic {
        error(.missingSlot, "'\(estimator.name)' needs a trained critic, but objective.value is off", at: preferred(keys["objective.value"], key) ?? key,
              notes: ["the value slot trains the critic whose estimates '\(estimator.name)' reads"],
              help: ["add 'value: {}' to objective"])
      }
    }

    // Values that contradict each other.
    if trains, let trainKey = keys["train"] {
      let iterations = values["train.iterations"]?.value, steps = values["train.total_steps"]?.value
      if iterations == .null && steps == .null {
        error(.missingKey, "train needs 'iterations' or 'total_steps'", at: trainKey,
              notes: ["token tasks count iterations; environment tasks count total_steps"],
              help: [task?.kind == .environmentTask ? "add 'total_steps: 500000'" : "add 'iterations: 200'"])
      } else if iterations != .null && steps != .null, let key = keys["train.total_steps"] {
        error(.conflictingValues, "train sets both 'iterations' and 'total_steps'", at: key, help: ["keep one of them"])
      }
    }
    if let max = values["reward.overlong.max"]?.value.number, let cache = values["reward.overlong.cache"], let c = cache.value.number,
       c >= max, let key = keys["reward.overlong.cache"] {
      error(.conflictingValues, "reward.overlong.cache (\(Int(c))) must be less than reward.overlong.max (\(Int(max)))", at: key,
            notes: ["the penalty ramps over the last 'cache' tokens before 'max'"])
    }
    // LiPO's lists are the K answers sampled per prompt (offline) or the group (online).
    if inUse("lipo"), let size = values["objective.lipo.list_size"]?.value.number, let key = nodes["objective.lipo.list_size"] ?? keys["objective.lipo"] {
      let source = inUse("preference") ? "task.preference.samples" : online ? "rollout.group" : nil
      if let source, let k = values[source]?.value.number, k != size {
        let other = nodes[source] ?? keys[source]
        let at = preferred(other, key) ?? key
        let (labels, notes) = related(at == key ? (other ?? key) : key, at == key ? "\(source) here" : "objective.lipo.list_size here", primary: at)
        report(.error, .conflictingValues, "objective.lipo.list_size (\(Int(size))) must equal \(source) (\(Int(k)))", at: at,
               notes: notes + ["each list holds the answers sampled for one prompt"], help: ["set both to the same K"], secondary: labels)
      }
    }
    if let width = values["policy.transformer.width"]?.value.number, let heads = values["policy.transformer.heads"]?.value.number,
       heads > 0, width.truncatingRemainder(dividingBy: heads) != 0, let key = keys["policy.transformer.heads"] ?? keys["policy.transformer"] {
      error(.conflictingValues, "policy.transformer.heads (\(Int(heads))) must divide width (\(Int(width)))", at: key)
    }

    checkSupport()
    lintWarnings(trains: trains, preference: preference)
  }

  /// Whether the block `name` is switched on in any section.
  func inUse(_ name: String) -> Bool { blocksInUse.values.contains { $0.contains { $0.name == name } } }

  private mutating func lintWarnings(trains: Bool, preference: BlockDecl?) {
    // KL silently absent, or counted twice.
    if inUse("kl"), let key = keys["objective.kl"], values["objective.kl.coef"]?.value.number == 0,
       values["objective.kl.adaptive"]?.value == .null || values["objective.kl.adaptive"] == nil {
      let at = nodes["objective.kl.coef"] ?? key
      report(.warning, .klZeroCoef, "objective.kl is on but its coef is 0, so no KL penalty is applied", at: at,
             help: ["set 'coef' (GRPO uses 0.04), or write 'kl: none'"])
    }
    if inUse("kl"), let key = keys["objective.kl"], values["objective.kl.in"]?.value == .string("reward"),
       let rule = ["ppo_penalty", "mdpo"].first(where: inUse), let ruleKey = keys["objective.\(rule)"] {
      let (labels, notes) = related(ruleKey, "'\(rule)' adds KL to the loss here", primary: key)
      report(.warning, .klTwice, "KL is counted twice: objective.kl puts it in the reward and '\(rule)' in the loss", at: key,
             notes: notes, help: ["drop one of them"], secondary: labels)
    }
    if inUse("kl"), let key = keys["objective.kl"], let expr = expressions["objective.expr"], expr.inputs.contains("ref_logp"),
       let exprKey = keys["objective.expr"] {
      let (labels, notes) = related(exprKey, "the formula reads 'ref_logp' here", primary: key)
      report(.warning, .klTwice, "KL may be counted twice: objective.expr reads 'ref_logp' and objective.kl is on", at: key,
             notes: notes, secondary: labels)
    }

    // A group baseline with one sample per group.
    let groupUsers = ["group_norm", "rloo", "reinforce_pp_baseline", "dynamic_sampling"].filter(inUse)
      + (values["objective.regression.form"]?.value == .string("group") && inUse("regression") ? ["regression"] : [])
    let groupIsDefault = keys["rollout.group"] == nil && values["rollout.prompts"] != nil
    if (trains || keys["rollout"] != nil), values["rollout.group"]?.value == .int(1),
       let user = groupUsers.first, let userKey = keys[registry.block(named: user)?.path ?? ""] {
      if !groupIsDefault, let node = nodes["rollout.group"] {
        let (labels, notes) = related(userKey, "'\(user)' compares samples within a group here", primary: node)
        report(.warning, .groupOfOne, "rollout.group is 1, so '\(user)' has no other sample to compare with", at: node,
               notes: notes + ["every advantage is 0 (or the raw reward): no learning signal"], help: ["set 'group' to 4 or more"],
               secondary: labels)
      } else {
        report(.warning, .groupOfOne, "'\(user)' compares samples within a group, but rollout.group defaults to 1", at: userKey,
               notes: ["every advantage is 0 (or the raw reward): no learning signal"], help: ["set 'rollout.group' to 4 or more"])
      }
    }

    // A constant-normalized aggregate without its constant.
    if trains, values["objective.aggregate.mode"]?.value == .string("seq_mean_token_sum_norm"), values["objective.aggregate.norm"] == nil,
       let key = keys["objective.aggregate"] {
      let maxTokens = values["rollout.max_tokens"]?.value.description ?? "16"
      report(.warning, .normMissing, "seq_mean_token_sum_norm without 'norm' divides by rollout.max_tokens (\(maxTokens))", at: key,
             notes: ["verl divides by the padded batch width and TRL by max_completion_length; say which constant you mean"],
             help: ["write 'aggregate: {mode: seq_mean_token_sum_norm, norm: \(maxTokens)}'"])
    }

    // A preference loss ignores advantages.
    if preference != nil, let key = keys["advantage"], blocksInUse[.advantage]?.isEmpty == false || keys["advantage.expr"] != nil {
      report(.warning, .preferenceWithAdvantage, "the objective is the preference loss '\(preference?.name ?? "")', which ignores 'advantage'",
             at: key, help: ["remove the advantage section, or write 'advantage: none' to drop an inherited one"])
    }

    // Opposite fixes for groups whose rewards are all equal.
    if inUse("dither"), inUse("dynamic_sampling"), let dither = keys["reward.dither"], let sampling = keys["filter.dynamic_sampling"] {
      let at = preferred(dither, sampling) ?? dither
      let (labels, notes) = related(at == dither ? sampling : dither, at == dither ? "dynamic sampling here" : "dithering here", primary: at)
      report(.warning, .ditherWithDynamicSampling, "reward.dither and filter.dynamic_sampling are opposite fixes for flat groups", at: at,
             notes: notes + ["dithering gives flat groups a gradient; dynamic sampling drops them (and no group is flat after dithering)"],
             help: ["keep one of them"], secondary: labels)
    }

    // Dropout makes the ratio noise for ratio-based methods.
    if let dropout = values["policy.transformer.dropout"]?.value.number, dropout > 0,
       let rule = ["clip", "cispo", "kl"].first(where: inUse), let key = keys["policy.transformer.dropout"] {
      report(.warning, .policyDropout, "policy.transformer.dropout is \(ParamValue.float(dropout)), but objective.\(rule) compares log-probabilities across passes",
             at: key, notes: ["with dropout on, the ratio is not 1 at the first step and KL estimates are noise"],
             help: ["set 'dropout: 0.0'"])
    }

    // Parameters the task kind ignores.
    if let task = blocksInUse[.task]?.first {
      let ignored: [String] = switch task.kind {
      case .environmentTask: ["rollout.prompts", "rollout.group", "rollout.max_tokens", "rollout.temperature", "rollout.top_k", "rollout.top_p", "train.iterations"]
      case .tokenTask: ["rollout.envs", "rollout.steps", "train.total_steps"]
      default: []
      }
      let bothCounts = keys["train.iterations"] != nil && keys["train.total_steps"] != nil  // already an error
      for path in ignored where !(bothCounts && path.hasPrefix("train.")) {
        guard let key = keys[path], key.span.file == rootFile || nodes[path]?.span.file == rootFile else { continue }
        report(.warning, .unusedParameter, "\(path) has no effect on \(task.kind.noun) such as '\(task.name)'", at: key,
               help: ["remove it"])
      }
    }

    // Clipping that cannot act.
    if trains, values["train.epochs"]?.value == .int(1), values["train.minibatches"]?.value == .int(1),
       let rule = ["clip", "cispo"].first(where: inUse), let key = keys["objective.\(rule)"] {
      let at = preferred(keys["train.minibatches"], keys["train.epochs"], key) ?? key
      report(.warning, .inertClip, "objective.\(rule) is inert: with 1 epoch of 1 minibatch the ratio is always 1", at: at,
             notes: ["the policy has not moved yet when the only update computes its ratio"],
             help: ["set 'train.minibatches' or 'train.epochs' above 1, or remove '\(rule)'"])
    }
  }
}
