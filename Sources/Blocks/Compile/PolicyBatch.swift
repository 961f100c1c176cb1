import Core
import Diagnostics
import Expr
import Graph

/// The inputs of a policy-gradient batch as graph values (DESIGN.md, "Evaluating a recipe
/// on a given batch"): N sequences × T tokens, left-aligned, with group ids.
///
/// Every per-token input is read through the mask once, here (`select`, not `·mask`), so
/// garbage at masked positions (NaN, ±inf) never reaches a block and the gradient there is
/// exactly 0.
public final class PolicyBatch {
  /// The names a batch may bind, with their shapes: `[N]` or `[N, T]`.
  public enum Input: String, Sendable, CaseIterable {
    case logp, oldLogp = "old_logp", refLogp = "ref_logp", reward
    case values, valuePred = "value_pred", tokenReward = "token_reward", baselineReward = "baseline_reward", entropy
    /// Log-probabilities under the sampler, when it differs from `old_logp` (`tis`).
    case rolloutLogp = "rollout_logp"

    /// Per-sequence inputs are `[N]`; the rest are `[N, T]`.
    public var isPerSequence: Bool { self == .reward || self == .baselineReward }
    /// Inputs every batch must have.
    public static let required: [Input] = [.logp, .oldLogp, .refLogp, .reward]
  }

  public let graph: BatchGraph
  /// The minibatch's real tokens, non-empty rows and rows, when this batch is one of its
  /// micro-batches (`PolicyProgram.Stage.update`); `nil` counts this batch.
  public var globalCounts: (tokens: Value, sequences: Value, rows: Value)?
  /// The raw graph inputs, by name (the gradient is taken with respect to these).
  public private(set) var rawInputs: [Input: Value] = [:]
  private var cleaned: [Input: Value] = [:]

  /// Creates `mask` and one graph input per name in `present` (plus the required ones).
  public init(layout: RowLayout, present: Set<Input>, builder: GraphBuilder = GraphBuilder()) {
    let n = layout.rows, t = layout.tokens
    let mask = builder.input("mask", [n, t])
    graph = BatchGraph(builder: builder, layout: layout, mask: mask)
    for input in Input.allCases where present.contains(input) || Input.required.contains(input) {
      let raw = builder.input(input.rawValue, input.isPerSequence ? [n] : [n, t])
      rawInputs[input] = raw
      cleaned[input] = input.isPerSequence ? raw : graph.masked(raw)
    }
  }

  public var builder: GraphBuilder { graph.builder }
  public var mask: Value { graph.mask }

  /// `[N]`: the number of answers in each row's group.
  public var groupSizes: Value {
    let layout = graph.layout
    return graph.shared("group_size") { layout.vector(layout.groupSizes) }
  }

  /// Whether the batch binds `input`.
  public func has(_ input: Input) -> Bool { cleaned[input] != nil }

  /// The input (0 at masked positions), or an error naming the block that needs it.
  public func input(_ input: Input, neededBy block: String, at span: SourceSpan?) throws(CompileError) -> Value {
    guard let value = cleaned[input] else {
      throw CompileError("\(block) needs '\(input.rawValue)' in the batch", at: span,
                         help: ["add \"\(input.rawValue)\": \(input.isPerSequence ? "[N] numbers" : "[N][T] numbers") to the batch JSON"])
    }
    return value
  }

  /// An input every batch has.
  public subscript(input: Input) -> Value {
    cleaned[input] ?? builder.full(0, input.isPerSequence ? [graph.layout.rows] : [graph.layout.rows, graph.layout.tokens])
  }
}
