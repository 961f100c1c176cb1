/// One term of the reward stage, as a recipe's `reward:` mapping names it; each carries its
/// `weight` (`reward.<name>.weight`) and contributes `weight · R` to the summed reward.
///
/// The formulas, with `L` the response length in tokens (EOS included), `Lmax` =
/// `rollout.max_tokens` and `s ∈ [0, 1]` the task verifier's reward:
///
///     verifier:        R = fail + (pass − fail) · s       (pass / fail for a 0/1 task)
///     partial_credit:  relative_error  R = max(0, 1 − |ŷ − y| / max(|y|, 1))^p
///                      abs_error       R = max(0, 1 − |ŷ − y| / scale)
///                      (a task without a numeric answer, and mode steps: its graded score)
///     overlong:        R = 0 if L ≤ M − C;  ((M − C) − L) / C · penalty if L ≤ M;  −penalty past M
///     length_linear:   R = −coef · L / Lmax                (only on correct samples with only_correct)
///     length_history:  x = L / h, f = cos(min(π/2 · x, π)); correct R = f, wrong R = min(f, 0),
///                      no history for the prompt yet R = 0  (h: shortest correct length so far)
///     repetition:      R = −coef · (repeated n-grams / n-grams) over the completion's characters
///     dither:          R = ε,  ε ~ N(0, σ_t²) or U(−a, a), a = σ_t·√3
///     format:          R = 1 if the pattern matches somewhere in the completion, else 0
///     command:         R = the external command's reward
///
/// - Papers: verifier — GRPO (arXiv:2402.03300), DAPO ±1 (arXiv:2503.14476); overlong — DAPO;
///   length_linear — GeometryZero; length_history — HAPO (arXiv:2505.11225); repetition —
///   MiroMind-M1; dither — ReDit (arXiv:2506.18631); partial_credit — CrowdVLM-R1 (fuzzy
///   GRPO reward); format — DeepSeek-R1 (arXiv:2501.12948).
public enum RewardTerm: Sendable, Equatable {
  /// Rule-based correctness: `pass` for a right answer, `fail` for a wrong one, and in between
  /// for a task with graded scores (sorting with partial credit).
  case verifier(weight: Double, pass: Double, fail: Double)
  /// A graded reward for how close a numeric answer is.
  case partialCredit(weight: Double, mode: PartialCreditMode, power: Double, scale: Double)
  /// DAPO's soft overlong punishment over the last `cache` tokens before `max`;
  /// `filterTruncated` masks truncated samples out of the loss instead of penalizing them.
  case overlong(weight: Double, max: Int, cache: Int, penalty: Double, filterTruncated: Bool)
  /// A length penalty proportional to the length (a reward for length when `coef < 0`).
  case lengthLinear(weight: Double, coef: Double, onlyCorrect: Bool)
  /// HAPO: reward correct answers shorter than the shortest correct one seen for the prompt.
  case lengthHistory(weight: Double, initial: HistoryStart)
  /// A penalty on the share of repeated character n-grams.
  case repetition(weight: Double, n: Int, coef: Double)
  /// ReDit: zero-mean noise so groups with equal rewards still give a gradient.
  case dither(weight: Double, gaussian: Bool, sigma: Double, schedule: DitherSchedule)
  /// 1 when the completion matches a regular expression (NSRegularExpression syntax).
  case format(weight: Double, pattern: String)
  /// An external command speaking JSON lines (DESIGN.md "External rewards").
  case command(weight: Double, argv: [String], timeoutSeconds: Double)

  /// How `partial_credit` measures closeness; raw values are the recipe's choices.
  public enum PartialCreditMode: String, Sendable, Equatable, CaseIterable {
    case relativeError = "relative_error", absError = "abs_error", steps
  }

  /// HAPO's history before the first correct answer to a prompt (`length_history.init`).
  public enum HistoryStart: String, Sendable, Equatable, CaseIterable {
    /// No history until a batch with a correct answer has been scored: that batch gets 0.
    case none
    /// The first batch with correct answers sets the history before it is scored, so that
    /// batch already earns (or loses) length reward against its own shortest answer.
    case firstCorrect = "first_correct"
  }

  /// How dither's σ evolves with training progress p ∈ [0, 1].
  public enum DitherSchedule: String, Sendable, Equatable, CaseIterable {
    /// σ_t = σ.
    case constant
    /// σ_t = σ · (1 − p).
    case linearDecay = "linear_decay"
    /// σ_t = σ · (1 + cos(π p)) / 2.
    case cosine
  }

  /// The term's recipe key, under which it is logged.
  public var name: String {
    switch self {
    case .verifier: "verifier"
    case .partialCredit: "partial_credit"
    case .overlong: "overlong"
    case .lengthLinear: "length_linear"
    case .lengthHistory: "length_history"
    case .repetition: "repetition"
    case .dither: "dither"
    case .format: "format"
    case .command: "command"
    }
  }

  /// The term's weight in the summed reward.
  public var weight: Double {
    switch self {
    case let .verifier(weight, _, _), let .partialCredit(weight, _, _, _), let .overlong(weight, _, _, _, _),
         let .lengthLinear(weight, _, _), let .lengthHistory(weight, _), let .repetition(weight, _, _),
         let .dither(weight, _, _, _), let .format(weight, _), let .command(weight, _, _):
      weight
    }
  }
}
