import Blocks
import Diagnostics

extension RecipeChecker {
  /// What the recipe trains: the run kind its task decides, or nil for a recipe without a
  /// task (one that only `porecipe eval` reads).
  var runKind: RunKind? {
    guard let task = blocksInUse[.task]?.first else { return nil }
    let isPreferenceLoss = blocksInUse[.objective]?.contains { $0.kind == .preference } ?? false
    return RunKind.of(task: task.kind, isPreferenceLoss: isPreferenceLoss)
  }

  /// `not-implemented`: every block, and every parameter value, that the recipe's run kind
  /// does not implement (its declaration's `support`), at the line that names it. A recipe
  /// without a task is read by `eval` alone, so only its advantage and objective count.
  /// After this, `run` refuses nothing `check` passed.
  mutating func checkSupport() {
    // An objective that does not fit its task is one finding, not one per block.
    guard !diagnostics.contains(where: { $0.code == .mixedObjective || $0.code == .taskMismatch }) else { return }
    let kind = runKind
    let target = kind.map(Support.init) ?? .eval
    let place = kind?.noun ?? "'porecipe eval'"
    // A preference run ignores an advantage, as preference-with-advantage warns.
    let counts: (Section) -> Bool = { kind == nil ? $0 == .advantage || $0 == .objective : !(kind == .preference && $0 == .advantage) }

    var used: [(decl: BlockDecl, key: YAMLNode)] = []
    for section in Section.allCases where counts(section) {
      for decl in blocksInUse[section] ?? [] { if let key = keys[decl.path] { used.append((decl, key)) } }
    }
    for modifier in modifiers {
      if let decl = registry.block(named: modifier.name) {
        used.append((decl, YAMLNode(.scalar(modifier.name, .plain), span: modifier.span)))
      }
    }
    if kind != nil { used += scheduleShapes }
    for (decl, key) in used where !decl.support.contains(target) {
      let whereItRuns = decl.support == .nowhere
        ? "'\(decl.name)' is declared so recipes can name it, but its math is not built yet"
        : "'\(decl.name)' runs in \(decl.support.summary)"
      error(.notImplemented, "\(decl.section.rawValue) '\(decl.name)' is not implemented in \(place) yet", at: key,
            notes: [whereItRuns], help: ["remove it; 'porecipe blocks \(decl.name)' shows where it runs"])
    }

    for (path, param, value, node) in restrictedValues {
      guard counts(Section(rawValue: String(path.prefix { $0 != "." && $0 != "[" })) ?? .recipe),
            let restriction = param.restriction(of: value), !restriction.support.contains(target),
            isInUse(path) else { continue }
      let subject = restriction.match.summary(key: param.key)
      let note = restriction.support == .nowhere ? "\(subject) is implemented nowhere yet" : "\(subject) runs in \(restriction.support.summary)"
      let what = if case .set = restriction.match { path } else { "\(path) '\(value)'" }
      error(.notImplemented, "\(what) is not implemented in \(place) yet", at: node, notes: [note], help: [restriction.help])
    }
    if let kind { checkRunCombinations(kind) }
  }

  /// Whether the value at `path` belongs to a block in use (a value of a block the recipe
  /// switched off is no finding).
  private func isInUse(_ path: String) -> Bool {
    let parts = path.split(separator: ".")
    guard parts.count > 2, let section = Section(rawValue: String(parts[0])) else { return true }
    if section == .schedule || path.hasPrefix("advantage.then") { return true }
    let block = "\(parts[0]).\(parts[1])"
    return blocksInUse[section]?.contains { $0.path == block } ?? true
  }

  /// Combinations of values that one run kind cannot train, each at the line a user changes.
  private mutating func checkRunCombinations(_ kind: RunKind) {
    // Only the learning rate follows a schedule so far.
    for key in pendingSchedules where key.scalar != "lr" && !diagnostics.contains(where: { $0.span == key.span }) {
      error(.notImplemented, "schedule.\(key.scalar ?? "") is not implemented in \(kind.noun) yet", at: key,
            notes: ["runs schedule the learning rate ('schedule: {lr: {linear: {to: 0.0}}}') so far"],
            help: ["remove it, or keep the coefficient constant"])
    }
    if kind != .preference, inUse("mdpo"), let m = number("objective.mdpo.steps"), let epochs = number("train.epochs"), m != epochs,
       let key = nodes["objective.mdpo.steps"] ?? nodes["train.epochs"] ?? keys["objective.mdpo"] {
      error(.conflictingValues, "objective.mdpo.steps (\(m)) and train.epochs (\(epochs)) must agree", at: key,
            notes: ["mdpo's m steps are the epochs over each rollout"], help: ["set both to the same number"])
    }
    switch kind {
    case .environment: checkEnvironmentRun()
    case .token: checkTokenRun()
    case .preference: checkPreferenceRun()
    }
  }

  private mutating func checkEnvironmentRun() {
    let objective = blocksInUse[.objective] ?? []
    if let objectiveKey = keys["objective"], keys["objective.expr"] == nil, !objective.contains(where: { $0.name == "value" }),
       !objective.contains(where: { $0.kind == .preference }) {
      error(.missingSlot, "an environment run trains an actor-critic, but objective.value is off", at: objectiveKey,
            notes: ["the critic's estimates are what gae and returns bootstrap from"], help: ["add 'value: {}' to objective"])
    }
    if isSet("train.iterations"), !isSet("train.total_steps"), let key = keys["train.iterations"] {
      error(.notImplemented, "environment runs count train.total_steps, not train.iterations", at: key,
            help: ["write 'total_steps: 500000' (rollout.envs × rollout.steps env steps per iteration)"])
    }
    if inUse("returns"), let key = keys["advantage.returns"] {
      let n = values["advantage.returns.n"]?.value.number, steps = values["rollout.steps"]?.value.number
      if n == nil || n != steps {
        let at = nodes["advantage.returns.n"] ?? key
        error(.notImplemented, "environment runs compute A3C's n-step returns with n = rollout.steps (\(steps.map { "\(Int($0))" } ?? "unset"))"
              + (n.map { ", not \(Int($0))" } ?? ", not full Monte-Carlo returns"), at: at,
              help: ["set 'n' to rollout.steps"])
      }
    }
    if let expr = expressions["objective.expr"], let key = keys["objective.expr"],
       let input = ["ref_logp", "reward", "token_reward", "baseline_reward"].first(where: expr.inputs.contains) {
      error(.notImplemented, "objective.expr reads '\(input)', which environment runs do not have", at: key,
            notes: ["an environment run's batch holds logp, old_logp, the advantages, returns and the critic's values"],
            help: ["write the loss in terms of ratio, adv, logp and old_logp"])
    }
    if let envs = number("rollout.envs"), let steps = number("rollout.steps") {
      let batch = envs * steps
      divides("train.minibatches", into: batch, what: "rollout.envs × rollout.steps (\(batch) env steps)")
      if let minibatches = number("train.minibatches"), minibatches > 0, batch / minibatches < 2, inUse("gae"),
         values["advantage.gae.normalize"]?.value == .string("minibatch"), let key = nodes["advantage.gae.normalize"] ?? keys["advantage.gae"] {
        error(.conflictingValues, "advantage.gae.normalize: minibatch needs at least 2 env steps per minibatch, got \(batch / minibatches)", at: key,
              help: ["lower train.minibatches, or write 'normalize: batch'"])
      }
      if let total = number("train.total_steps"), total < batch, let key = nodes["train.total_steps"] ?? keys["train.total_steps"] {
        error(.conflictingValues, "train.total_steps (\(total)) is less than one rollout of \(batch) env steps", at: key,
              help: ["raise it, or lower rollout.envs or rollout.steps"])
      }
    }
    if inUse("trpo"), values["policy.mlp.exploration"]?.value == .string("state_dependent"), let key = nodes["policy.mlp.exploration"] {
      error(.notImplemented, "trpo with policy.mlp.exploration: state_dependent is not implemented in environment runs yet", at: key,
            help: ["write 'exploration: gaussian'"])
    }
    if let task = blocksInUse[.task]?.first, !Self.continuousTasks.contains(task.name) {
      for param in ["log_std_init", "exploration", "sde_sample_freq"] {
        guard let node = nodes["policy.mlp.\(param)"] else { continue }
        error(.conflictingValues, "policy.mlp.\(param) sets a Gaussian head, but '\(task.name)' has discrete actions", at: node,
              notes: ["the mlp serves discrete actions with a categorical head"], help: ["remove it"])
      }
    }
  }

  /// The integer at `path`, if the recipe has one.
  private func number(_ path: String) -> Int? { values[path]?.value.number.map { Int($0) } }

  /// `conflicting-values` unless the integer at `path` divides `total`.
  private mutating func divides(_ path: String, into total: Int, what: String) {
    guard let n = number(path), n > 0, total % n != 0, let key = nodes[path] ?? keys[path] ?? keys["train"] else { return }
    error(.conflictingValues, "\(path) (\(n)) must divide \(what)", at: key,
          notes: ["each minibatch is an equal share of the batch"], help: ["choose a divisor of \(total)"])
  }

  /// Whether the recipe gives `path` a value other than null.
  private func isSet(_ path: String) -> Bool {
    values[path].map { $0.value != .null } ?? values.keys.contains { $0.hasPrefix(path + ".") }
  }

  /// The environment tasks with continuous actions (a Gaussian head).
  static let continuousTasks: Set = ["pendulum"]

  private mutating func checkPreferenceRun() {
    // A file holds pairs or labelled completions; listwise losses need ranked lists.
    if inUse("preference_jsonl"), let loss = blocksInUse[.objective]?.first(where: { ListwisePreferenceLoss.Kind(rawValue: $0.name) != nil }),
       let key = keys[loss.path] {
      error(.notImplemented, "the listwise loss '\(loss.name)' is not implemented on task.preference_jsonl", at: key,
            notes: ["a preference file holds {prompt, chosen, rejected} pairs or {prompt, completion, label} responses, not ranked lists"],
            help: ["train it on 'task: {preference: {from: sorting}}' (lists ranked by partial credit) or online on a token task"])
    }
  }

  private mutating func checkTokenRun() {
    if inUse("value"), values["policy.transformer.value_head"]?.value != .bool(true),
       let key = preferred(keys["objective.value"], nodes["policy.transformer.value_head"]) {
      error(.conflictingValues, "objective.value trains a critic, but the transformer has no value head", at: key,
            help: ["set 'policy.transformer.value_head: true'"])
    }
    if let prompts = number("rollout.prompts"), let group = number("rollout.group") {
      // A formula's minibatches are whole groups, so its group statistics mean what they mean in eval.
      if keys["objective.expr"] != nil {
        divides("train.minibatches", into: prompts, what: "rollout.prompts (\(prompts) groups of \(group)): objective.expr's minibatches are whole groups")
      } else {
        divides("train.minibatches", into: prompts * group, what: "rollout.prompts × rollout.group (\(prompts * group) responses)")
      }
      if inUse("replay"), let off = number("filter.replay.off_samples"), off >= group,
         let key = nodes["filter.replay.off_samples"] ?? keys["filter.replay"] {
        error(.conflictingValues, "filter.replay.off_samples (\(off)) must be below rollout.group (\(group))", at: key,
              notes: ["replayed samples take places in each group beside fresh ones"])
      }
    }
    if isSet("objective.kl.adaptive"), let rule = ["ppo_penalty", "mdpo"].first(where: inUse),
       let key = nodes["objective.kl.adaptive"] ?? keys["objective.kl"] {
      error(.notImplemented, "objective.kl.adaptive beside '\(rule)' is not implemented in token runs yet", at: key,
            notes: ["'\(rule)' moves its own KL weight; both would be the run's kl_coef"], help: ["give objective.kl a fixed coef"])
    }
    if isSet("train.total_steps"), !isSet("train.iterations"), let key = keys["train.total_steps"] {
      error(.notImplemented, "token runs count train.iterations, not train.total_steps", at: key,
            help: ["write 'iterations: 200'"])
    }
  }
}
