import Core
import Diagnostics
import Graph

/// The shape of the data a preference loss reads (DESIGN.md, "Evaluating a recipe on a
/// given batch"): pairs `[P]`, unpaired labelled responses `[P]`, or lists `[P, K]`.
public enum PreferenceFormat: String, Sendable, CaseIterable {
  case pairs, unpaired, lists

  /// The inputs every loss of this format reads.
  public var inputNames: [String] {
    switch self {
    case .pairs: PairwisePreferenceLoss.inputNames
    case .unpaired: UnpairedPreferenceLoss.inputNames
    case .lists: ListwisePreferenceLoss.inputNames
    }
  }

  /// The differentiated inputs and the names of their gradients in the output.
  public var gradients: [(input: String, output: String)] {
    switch self {
    case .pairs: [("chosen_logp", "grad_chosen_logp"), ("rejected_logp", "grad_rejected_logp")]
    case .unpaired, .lists: [("logp", "grad_logp")]
    }
  }
}

/// One preference objective, compiled from its block: a pairwise loss (dpo, ipo, … and
/// TRL's extra loss types), the unpaired KTO, or a listwise loss (lipo, pro).
public enum PreferenceLoss: Sendable {
  case pairwise(PairwisePreferenceLoss)
  case unpaired(UnpairedPreferenceLoss)
  case listwise(ListwisePreferenceLoss)

  public init(_ params: BlockParams) throws(CompileError) {
    let name = params.declaration.name
    if PairwisePreferenceLoss.Kind(rawValue: name) != nil {
      self = .pairwise(try PairwisePreferenceLoss(params))
    } else if ListwisePreferenceLoss.Kind(rawValue: name) != nil {
      self = .listwise(try ListwisePreferenceLoss(params))
    } else if name == "kto" {
      self = .unpaired(try UnpairedPreferenceLoss(params))
    } else {
      throw CompileError("the preference loss '\(name)' has no compiled math yet", at: params.span)
    }
  }

  public var format: PreferenceFormat {
    switch self {
    case .pairwise: .pairs
    case .unpaired: .unpaired
    case .listwise: .lists
    }
  }

  /// Inputs the batch must add to its format's (`chosen_nll` a number for orpo; `nll` [P] for pro).
  public var requiredExtras: [String] {
    switch self {
    case .pairwise(let loss): loss.needsChosenNLL ? ["chosen_nll"] : []
    case .listwise(let loss): loss.needsNLL ? ["nll"] : []
    case .unpaired: []
    }
  }

  /// Inputs the batch may add: bco_pair's running mean δ as `bco_delta`, a number.
  public var optionalExtras: [String] {
    if case .pairwise(let loss) = self, loss.kind == .bcoPair { return ["bco_delta"] }
    return []
  }

  /// The shape of `name` for P rows of K items.
  public static func shape(of name: String, rows: Int, items: Int, format: PreferenceFormat) -> Shape {
    switch name {
    case "chosen_nll", "bco_delta": .scalar
    case "nll": [rows]
    default: format == .lists ? [rows, items] : [rows]
    }
  }

  func emit(_ inputs: [String: Value], builder: GraphBuilder) -> (loss: Value, terms: [(String, Value)]) {
    switch self {
    case .pairwise(let loss): loss.emit(inputs, builder: builder)
    case .unpaired(let loss): loss.emit(inputs, builder: builder)
    case .listwise(let loss): loss.emit(inputs, builder: builder)
    }
  }
}
