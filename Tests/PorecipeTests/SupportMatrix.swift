import Blocks
import Foundation

/// The recipes of the support matrix: for each run kind a small base recipe, and for every
/// declared block a variant that puts it into the base — with its required parameters given
/// example values — plus a variant for every restricted value of its parameters and every
/// other value of its closed choices. `SupportMatrixTests` checks and runs each one.
struct SupportMatrix {
  /// One recipe to check and run.
  struct Variant: CustomStringConvertible {
    var kind: RunKind
    var block: BlockDecl
    /// `objective.kl.estimator=full`, or nil for the block with its defaults.
    var setting: String?
    var recipe: [String: Any]
    var description: String { "\(kind.rawValue) + \(block.path)" + (setting.map { " (\($0))" } ?? "") }
  }

  /// Data files and the reward command the variants name.
  let files: (jsonl: String, preferences: String, command: String)

  /// The base recipe of `kind`: one iteration, tiny models.
  func base(_ kind: RunKind) -> [String: Any] {
    // No warm start: its validation passes cost seconds, and token runs train from scratch as well.
    let transformer: [String: Any] = ["transformer": ["layers": 1, "width": 16, "heads": 2, "context": 32]]
    switch kind {
    case .environment:
      return ["task": ["cartpole": [:]], "policy": ["mlp": ["hidden": [8]]], "rollout": ["envs": 2, "steps": 8],
              "advantage": ["gae": [:]], "objective": ["clip": [:], "value": [:], "entropy": ["coef": 0.01]],
              "optimizer": ["adam": [:]], "train": ["total_steps": 16, "epochs": 1, "minibatches": 2, "seed": 1]]
    case .token:
      return ["task": ["arithmetic": ["digits": 1]], "policy": transformer, "rollout": ["prompts": 2, "group": 2, "max_tokens": 8],
              "advantage": ["group_norm": [:]], "objective": ["clip": [:]],
              "optimizer": ["adam": [:]], "train": ["iterations": 1, "epochs": 1, "minibatches": 2, "seed": 1]]
    case .preference:
      return ["task": ["preference_jsonl": ["path": files.preferences]], "policy": transformer,
              "rollout": ["prompts": 2, "group": 2, "max_tokens": 4], "objective": ["dpo": [:]], "optimizer": ["adam": [:]],
              "train": ["iterations": 1, "minibatches": 1, "seed": 1]]
    }
  }

  /// Every variant of every block, for every run kind.
  func variants(registry: BlockRegistry = .standard) -> [Variant] {
    var all: [Variant] = []
    for kind in RunKind.allCases {
      for block in registry.blocks {
        let params = exampleParams(block, kind: kind)
        all.append(Variant(kind: kind, block: block, setting: nil, recipe: placed(block, params: params, in: kind)))
        for param in block.params {
          for value in otherValues(of: param, block: block) {
            var changed = params
            changed[param.key] = value
            all.append(Variant(kind: kind, block: block, setting: "\(block.path).\(param.key)=\(value)",
                               recipe: placed(block, params: changed, in: kind)))
          }
        }
      }
    }
    return all
  }

  /// The base of `kind` with `block` in it: a one-block section's block replaced, a slot,
  /// reward or filter added, a structural rule in place of the clipped surrogate, a
  /// preference loss as the whole objective, a modifier after the estimator, a schedule
  /// shape on the learning rate.
  func placed(_ block: BlockDecl, params: [String: Any], in kind: RunKind) -> [String: Any] {
    var recipe = base(kind)
    func section(_ name: String) -> [String: Any] { recipe[name] as? [String: Any] ?? [:] }
    switch block.kind {
    case .environmentTask, .tokenTask, .preferenceTask, .optimizer:
      recipe[block.section.rawValue] = [block.name: params]
    case .model:
      var policy = section("policy")
      policy["mlp"] = nil
      policy["transformer"] = nil
      policy[block.name] = params
      recipe["policy"] = policy
    case .rewardTerm, .filter:
      var blocks = section(block.section.rawValue)
      blocks[block.name] = params
      recipe[block.section.rawValue] = blocks
    case .estimator:
      recipe["advantage"] = [block.name: params]
    case .modifier:
      var advantage = section("advantage")
      if advantage.isEmpty { advantage = ["group_norm": [:]] }
      advantage["then"] = [[block.name: params]]
      recipe["advantage"] = advantage
    case .slot:
      var objective = section("objective")
      if objective.keys.contains(where: { BlockRegistry.standard.block(named: $0)?.kind == .preference }) { objective = [:] }
      if block.name == "cispo" { objective["clip"] = nil }
      objective[block.name] = params
      recipe["objective"] = objective
    case .structural:
      var objective = section("objective")
      if objective.keys.contains(where: { BlockRegistry.standard.block(named: $0)?.kind == .preference }) { objective = [:] }
      objective["clip"] = nil
      objective[block.name] = params
      recipe["objective"] = objective
    case .preference:
      recipe["objective"] = [block.name: params]
      recipe["advantage"] = nil
    case .schedule:
      recipe["schedule"] = ["lr": [block.name: params]]
    }
    // Slots some blocks need beside them, so a variant fails only where the block does.
    var objective = section("objective")
    let needsCritic = block.name == "gae" || block.name == "value" || (block.name == "returns" && (params["baseline"] as? String) != "none")
    if kind != .environment, needsCritic, block.kind != .preference {
      objective["value"] = objective["value"] ?? [String: Any]()
      var policy = section("policy")
      var transformer = policy["transformer"] as? [String: Any] ?? [:]
      transformer["value_head"] = true
      policy["transformer"] = transformer
      recipe["policy"] = policy
      recipe["objective"] = objective
    }
    if block.name == "value", kind == .token { recipe["advantage"] = ["gae": [String: Any]()] }
    // Listwise losses rank lists, not a file's pairs: online, the groups of a graded task.
    if kind == .preference, ListwisePreferenceLoss.Kind(rawValue: block.name) != nil {
      recipe["task"] = ["sorting": ["partial_credit": true]]
    }
    if block.name == "returns", kind == .environment {
      var returns = params
      returns["n"] = returns["n"] ?? 8
      returns["baseline"] = returns["baseline"] ?? "value"
      recipe["advantage"] = ["returns": returns]
    }
    return recipe
  }

  /// The block's required parameters with example values, a choice whose default the kind
  /// does not implement set to one it does (kl's `against: old` in environment runs), and
  /// mdpo's steps equal to the base's epochs.
  func exampleParams(_ block: BlockDecl, kind: RunKind) -> [String: Any] {
    var params: [String: Any] = [:]
    for param in block.params where param.isRequired { params[param.key] = example(param, block: block) }
    for param in block.params {
      guard case .choice(let choices) = param.type, case .value(let value) = param.defaultValue,
            let restriction = param.restriction(of: value), !restriction.support.contains(kind) else { continue }
      params[param.key] = choices.first { param.restriction(of: .string($0))?.support.contains(kind) ?? true }
    }
    switch block.name {
    case "mdpo": params["steps"] = 1
    case "overlong": params = ["max": 4, "cache": 1]
    // Sorting's partial credit ranks every sample, so even a barely warm policy gives pairs.
    case "preference": params = ["from": "sorting", "pairs": 4, "samples": 2]
    case "lipo" where kind == .preference: params["list_size"] = 2
    default: break
    }
    return params
  }

  /// A valid value of `param`.
  func example(_ param: ParamDecl, block: BlockDecl) -> Any {
    switch (block.name, param.key) {
    case ("jsonl", "path"): return files.jsonl
    case ("preference_jsonl", "path"): return files.preferences
    case ("command", "argv"): return ["/bin/sh", files.command]
    case (_, "pattern"): return "[0-9]"
    default: break
    }
    switch param.type {
    case .int: return Int(exampleNumber(param.range, integral: true))
    case .float: return exampleNumber(param.range, integral: false)
    case .bool: return true
    case .choice(let choices): return choices.first ?? ""
    case .string: return "x"
    case .list(let item, let count):
      let one: Any = switch item { case .int: 1; case .float: 0.5; case .choice(let c): c.first ?? ""; default: "x" }
      return Array(repeating: one, count: count ?? 1)
    case .record(let nested):
      return Dictionary(nested.filter(\.isRequired).map { ($0.key, example($0, block: block)) }) { first, _ in first }
    default: return [String: Any]()
    }
  }

  /// A number inside `range`: 1 (or 0.5) when the range holds it, else just inside its bounds.
  func exampleNumber(_ range: ParamRange?, integral: Bool) -> Double {
    let preferred = integral ? 1.0 : 0.5
    guard let range, !range.contains(preferred) else { return preferred }
    if let lower = range.lower {
      let candidate = integral ? (range.lowerIsClosed ? lower : lower + 1) : lower + 0.5
      if range.contains(candidate) { return candidate }
    }
    if let upper = range.upper { return integral ? upper : upper - 0.1 }
    return preferred
  }

  /// The values a variant sets `param` to beside its default: every other choice, the
  /// other boolean, and a value of each restricted kind.
  func otherValues(of param: ParamDecl, block: BlockDecl) -> [Any] {
    var values: [Any] = []
    let defaultValue: ParamValue? = if case .value(let v) = param.defaultValue { v } else { nil }
    switch param.type {
    case .choice(let choices):
      values += choices.filter { defaultValue != .string($0) }
    case .bool:
      values.append(defaultValue != .bool(true))
    default:
      break
    }
    for restriction in param.valueSupport {
      switch restriction.match {
      case .equals(let v):
        if case .choice = param.type { continue }
        if case .bool = param.type { continue }
        values.append(any(v))
      case .set:
        if case .expression = param.type { continue }
        values.append(example(param, block: block))
      case .otherThan(let v):
        if let n = v.number {
          values.append(param.type == .int ? Int(n) + 1 : n + 0.1)
        } else {
          values.append(example(param, block: block))
        }
      }
    }
    return values
  }

  private func any(_ value: ParamValue) -> Any {
    switch value {
    case .bool(let b): b
    case .int(let i): i
    case .float(let x): x
    case .string(let s): s
    case .list(let items): items.map(any)
    case .null: NSNull()
    }
  }
}
