import Diagnostics
import Foundation
import Expr
import Graph

/// The built-in blocks that are pure formulas, written in the recipe expression language
/// and compiled exactly like a recipe's `expr:` (DESIGN.md: the library proves the language).
///
/// Each line is `name = formula`. Besides the advantage context's names (`reward` is each
/// sequence's score, `group_size` the number of answers to its prompt), a formula reads
/// its block's parameters by key (`eps`, `unbiased` as 1 or 0).
public enum Prelude {
  public static let source = #"""
    # verl compute_grpo_outcome_advantage: a group of one has mean 0 and std 1.
    group_mean = where(group_size > 1, mean(reward, over: group), 0)
    group_std = where(group_size > 1, std(reward, over: group) * where(unbiased > 0, 1, sqrt((group_size - 1) / group_size)), 1)
    # group_norm, std: true (GRPO)
    group_norm = (reward - group_mean) / (group_std + eps)
    # group_norm, std: false (Dr. GRPO); also reinforce_pp_baseline before whitening
    group_centered = reward - group_mean
    # rloo (verl compute_rloo_outcome_advantage): r minus the mean of the others; a group of one keeps r
    rloo = where(group_size > 1, (reward - mean(reward, over: group)) * group_size / (group_size - 1), reward)
    # overlong (DAPO soft overlong punishment), limit = the block's `max`
    overlong = where(len <= limit - cache, 0, where(len <= limit, ((limit - cache) - len) / cache * penalty, -penalty))
    # length_linear; `correct` is 1 where the task reward is positive (only_correct), else 1 everywhere
    length_linear = -coef * len / max_tokens * where(only_correct > 0, where(reward > 0, 1, 0), 1)
    """#

  /// The formulas by name, with earlier names substituted into later ones (as text, in
  /// parentheses), so each formula reads as one expression.
  public static let formulas: [String: String] = {
    var formulas: [String: String] = [:]
    for line in source.split(separator: "\n") {
      let text = line.trimmingCharacters(in: .whitespaces)
      guard !text.hasPrefix("#"), let equals = text.firstIndex(of: "=") else { continue }
      let name = text[..<equals].trimmingCharacters(in: .whitespaces)
      var formula = text[text.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      for (known, body) in formulas { formula = replacingWord(known, with: "(\(body))", in: formula) }
      formulas[name] = formula
    }
    return formulas
  }()

  /// Lowers the formula `name` over `batch`; `parameters` bind the block's numbers.
  public static func lower(_ name: String, batch: PolicyBatch, reward: Value, parameters: [String: Double],
                           span: SourceSpan?, context: ExprContext = .advantage) throws(CompileError) -> Value {
    guard let text = formulas[name] else { throw CompileError("internal error: no prelude formula '\(name)' (please report)", at: span) }
    let extra = Dictionary(uniqueKeysWithValues: parameters.keys.map { ($0, ExprType.number()) })
    let (checked, diagnostics) = ExprChecker.check(ExprSource(text: text, file: "<prelude \(name)>"), in: context, extraInputs: extra)
    guard let expr = checked else {
      throw CompileError("internal error: prelude formula '\(name)' does not check: \(diagnostics.map(\.message).joined(separator: "; ")) (please report)", at: span)
    }
    var inputs = batch.expressionInputs(for: expr.inputs)
    inputs["reward"] = reward
    for (key, value) in parameters { inputs[key] = batch.builder.scalar(Float(value)) }
    var lowering = GraphLowering(batch: batch.graph, inputs: inputs)
    do { return try expr.lower(into: &lowering) } catch {
      throw CompileError("internal error: prelude formula '\(name)': \(error) (please report)", at: span)
    }
  }

  /// `text` with whole-word occurrences of `word` replaced.
  static func replacingWord(_ word: String, with replacement: String, in text: String) -> String {
    var result = ""
    var token = ""
    func flush() { result += token == word ? replacement : token; token = "" }
    for character in text {
      if character.isLetter || character.isNumber || character == "_" { token.append(character) } else { flush(); result.append(character) }
    }
    flush()
    return result
  }
}
