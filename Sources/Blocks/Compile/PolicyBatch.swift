import Core
import Diagnostics
import Expr
import Graph

/// The inputs of a policy-gradient batch as graph values (DESIGN.md, "Evaluating a recipe
/// on a given batch"): N sequences × T tokens, left-aligned, with group ids; the
/// whole-distribution inputs of `kl.estimator: full` add a vocabulary axis of size V.
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
    /// Log-probabilities under the proximal policy of `ratio.proximal: ewma` (PPO-EWMA).
    case proxLogp = "prox_logp"
    /// Log-probabilities of every vocabulary entry, `[N, T, V]`, under the current, the
    /// behaviour and the reference policy (`kl.estimator: full`).
    case logpFull = "logp_full", oldLogpFull = "old_logp_full", refLogpFull = "ref_logp_full"

    /// Per-sequence inputs are `[N]`; the rest are `[N, T]`, or `[N, T, V]` over the vocabulary.
    public var isPerSequence: Bool { self == .reward || self == .baselineReward }
    /// Whole distributions, `[N, T, V]`.
    public var isOverVocabulary: Bool { self == .logpFull || self == .oldLogpFull || self == .refLogpFull }

    /// The input's shape for N rows of T tokens over a vocabulary of V.
    public func shape(rows: Int, tokens: Int, vocabulary: Int) -> Shape {
      isPerSequence ? [rows] : isOverVocabulary ? [rows, tokens, vocabulary] : [rows, tokens]
    }

    /// How the batch JSON spells the input's shape, for help lines.
    public var shapeText: String { isPerSequence ? "[N] numbers" : isOverVocabulary ? "[N][T][V] log-probabilities" : "[N][T] numbers" }
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

  /// The vocabulary size V of the whole-distribution inputs (0 when the batch has none).
  public let vocabulary: Int

  /// Creates `mask` and one graph input per name in `present` (plus the required ones);
  /// whole-distribution inputs only when `vocabulary` is positive.
  public init(layout: RowLayout, present: Set<Input>, vocabulary: Int = 0, builder: GraphBuilder = GraphBuilder()) {
    let n = layout.rows, t = layout.tokens
    let mask = builder.input("mask", [n, t])
    graph = BatchGraph(builder: builder, layout: layout, mask: mask)
    self.vocabulary = vocabulary
    for input in Input.allCases where present.contains(input) || Input.required.contains(input) {
      if input.isOverVocabulary && vocabulary < 1 { continue }
      let raw = builder.input(input.rawValue, input.shape(rows: n, tokens: t, vocabulary: vocabulary))
      rawInputs[input] = raw
      if input.isPerSequence {
        cleaned[input] = raw
      } else if input.isOverVocabulary {
        // NOTE: the [N, T] mask repeated over V: a masked position's whole distribution is garbage.
        cleaned[input] = select(mask.reshaped(to: [n, t, 1]).broadcast(to: [n, t, vocabulary]), raw, builder.scalar(0))
      } else {
        cleaned[input] = graph.masked(raw)
      }
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
                         help: ["add \"\(input.rawValue)\": \(input.shapeText) to the batch JSON"])
    }
    return value
  }

  /// An input every batch has.
  public subscript(input: Input) -> Value {
    cleaned[input] ?? builder.full(0, input.shape(rows: graph.layout.rows, tokens: graph.layout.tokens, vocabulary: vocabulary))
  }
}
