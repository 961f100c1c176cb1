import Blocks

/// What a preference loss assumes, in the terms its papers compare methods by: the data it
/// reads, whether it needs a reference model, its implicit reward, the margin it targets and
/// its scale. `diff` prints the ones that change when one loss replaces another, so
/// `porecipe diff simpo dpo` reads like SimPO's list of changes to DPO.
public struct PreferenceLossTraits: Sendable, Hashable {
  /// One aspect that differs: its name and its value in B and in A.
  public struct Change: Sendable, Hashable {
    public var aspect: String
    public var b: String
    public var a: String
  }

  var data: String
  var reference: String
  var reward: String
  var margin: String
  var scale: String

  /// The traits of the preference loss `name` as `recipe` sets it.
  init(_ name: String, in recipe: ResolvedRecipe) {
    func text(_ key: String) -> String { recipe.entry("objective.\(name).\(key)")?.text ?? "?" }
    let sum = "β·(logp − ref_logp), summed over tokens"
    data = "pairs"
    reference = "π_ref"
    reward = sum
    margin = "none"
    scale = "β = \(text("beta"))"
    switch name {
    case "ipo":
      reward = recipe.value("objective.ipo.average") == .bool(false) ? "logp − ref_logp, summed over tokens" : "(logp − ref_logp)/L, length-normalized"
      margin = "1/(2β), squared error"
    case "sigmoid_norm":
      reward = "β·(logp − ref_logp)/L, length-normalized"
    case "hinge":
      if recipe.value("objective.hinge.ref") == .bool(false) {
        reference = "none"
        reward = "logp, summed over tokens"
        margin = "δ = \(text("delta")), hinge"
        scale = "none"
      } else {
        margin = "1/β, hinge"
      }
    case "simpo":
      reference = "none"
      reward = "β·logp/L, length-normalized"
      margin = "γ = \(text("gamma"))"
    case "orpo":
      reference = "none"
      reward = "log odds of the mean token probability, plus the chosen NLL"
      scale = "λ = \(text("lambda"))"
    case "sppo_hard":
      margin = "Δ_w → 1/(2β), Δ_l → −1/(2β), squared error"
    case "kto":
      data = "unpaired responses labelled desirable or undesirable"
      reward = sum + ", against a KL reference point z0"
    case "lipo":
      data = "lists of \(text("list_size")) ranked responses"
      reward = sum + ", λ-weighted over every ordered pair"
    case "pro":
      data = "ranked lists"
      reference = "none"
      reward = "logp/L, Plackett–Luce over the ranking, plus the best response's NLL"
      scale = "temperature = \(text("temperature"))"
    default:
      break
    }
  }

  /// The aspects in which `a` differs from `b`, in reading order.
  static func changes(from b: PreferenceLossTraits, to a: PreferenceLossTraits) -> [Change] {
    [("data", \PreferenceLossTraits.data), ("reference model", \.reference), ("implicit reward", \.reward),
     ("target margin", \.margin), ("scale", \.scale)]
      .filter { b[keyPath: $0.1] != a[keyPath: $0.1] }
      .map { Change(aspect: $0.0, b: b[keyPath: $0.1], a: a[keyPath: $0.1]) }
  }
}
