import Blocks
import Diagnostics
import Expr
import Foundation
import Graph

/// What `porecipe eval` prints and how it exits: 0 with the JSON object on stdout; 1 for a
/// recipe, batch or non-finite result problem; 2 for an unreadable path.
public struct EvalReport: Sendable {
  public var output: String
  public var errors: String
  public var exitCode: Int32
  /// The outputs by name (`advantages`, `loss`, `terms.kl`, `grad_logp`, …), flat, when it ran.
  public var values: [String: [Double]]
}

/// The library side of `porecipe eval RECIPE --batch batch.json`: check the recipe, read the
/// batch, compile `advantage` + `objective`, evaluate in Double (the reference interpreter:
/// numbers to compare with other implementations), print one JSON object.
public enum RecipeEval {
  public static func run(recipe path: String, batch batchPath: String, overrides: [String] = [],
                         registry: BlockRegistry = .standard) -> EvalReport {
    func failure(_ message: String, _ code: Int32) -> EvalReport { EvalReport(output: "", errors: message + "\n", exitCode: code, values: [:]) }
    guard let data = FileManager.default.contents(atPath: batchPath) else {
      return failure("error: cannot read \(batchPath): no such file", 2)
    }
    let checked = check(recipe: path, overrides: overrides, registry: registry)
    let renderer = DiagnosticRenderer(sources: checked.sources, colored: false)
    if checked.diagnostics.contains(where: { $0.code == .unreadableFile }) {
      return failure(renderer.render(checked.diagnostics).trimmingCharacters(in: .newlines), 2)
    }
    if checked.fails(strict: false) { return failure(renderer.render(checked.diagnostics).trimmingCharacters(in: .newlines), 1) }
    do {
      let values: [String: [Double]]
      let shape: (rows: Int, tokens: Int)
      var warnings: [String] = []
      var vector = false
      if let (loss, span) = try PolicyCompiler.preferenceLoss(from: checked, registry: registry) {
        let batch: PreferenceBatch
        do { batch = try PreferenceBatch.parse(data, for: loss) } catch { return failure("error: \(batchPath): \(error.message)", 1) }
        values = try evaluate(loss, span: span, on: batch)
        // Per-example gradients of unpaired data print as one list: [P], not [[P]].
        shape = batch.format == .lists ? (batch.rows, batch.items) : (1, batch.rows)
        vector = batch.format == .unpaired
        warnings = batch.warnings.map { "warning: \(batchPath): \($0)" }
      } else {
        let batch: EvalBatch
        do { batch = try EvalBatch.parse(data) } catch { return failure("error: \(batchPath): \(error.message)", 1) }
        values = try evaluate(try PolicyCompiler.recipe(from: checked, registry: registry), on: batch)
        shape = (batch.rows, batch.tokens)
      }
      // Terms first: a non-finite loss or gradient names the term that made it.
      let order = values.keys.filter { $0.hasPrefix("terms.") }.sorted() + ["advantages", "returns", "loss", "grad_logp", "grad_value_pred",
                                                                               "grad_logp_full", "grad_chosen_logp", "grad_rejected_logp"]
      for name in order {
        guard let bad = values[name]?.first(where: { !$0.isFinite }) else { continue }
        let what = name.hasPrefix("terms.") ? "the \(name.dropFirst(6)) term" : "'\(name)'"
        return failure("error: \(what) is not finite (\(bad)) on this batch", 1)
      }
      let errors = warnings.map { $0 + "\n" }.joined()
      return EvalReport(output: render(values, rows: shape.rows, tokens: shape.tokens, vector: vector).compact + "\n", errors: errors, exitCode: 0, values: values)
    } catch {
      return failure(renderer.render([error.diagnostic]).trimmingCharacters(in: .newlines), 1)
    }
  }

  /// Checks the recipe at `path`, or the built-in recipe of that name (`grpo`) as
  /// `extends: grpo` finds it, with `overrides` applied.
  public static func check(recipe path: String, overrides: [String] = [], registry: BlockRegistry = .standard) -> CheckResult {
    var loader = RecipeLoader(registry: registry)
    guard !FileManager.default.fileExists(atPath: path), let text = BuiltinRecipes.files[path] else {
      return RecipeChecker.check(path: path, overrides: overrides, loader: &loader)
    }
    var loaded = loader.load(text: text, name: RecipeLoader.builtinPrefix + path + ".yaml")
    Overrides(registry: registry).apply(overrides, to: &loaded)
    return RecipeChecker(registry: registry).check(loaded)
  }

  /// Compiles `recipe` for `batch` and evaluates it in Double; outputs by name, flat.
  public static func evaluate(_ recipe: PolicyRecipe, on batch: EvalBatch) throws(CompileError) -> [String: [Double]] {
    let layout = RowLayout(groups: batch.groups, tokens: batch.tokens)
    let program = try PolicyProgram.compile(recipe, layout: layout, present: Set(batch.inputs.keys), vocabulary: batch.vocabulary)
    var inputs = ["mask": DoubleTensor(shape: [batch.rows, batch.tokens], values: batch.mask)]
    for (input, values) in batch.inputs {
      inputs[input.rawValue] = DoubleTensor(shape: input.shape(rows: batch.rows, tokens: batch.tokens, vocabulary: batch.vocabulary), values: values)
    }
    let results: [DoubleTensor]
    do { results = try ReferenceInterpreter.evaluate(program.graph, inputs: inputs) } catch {
      throw CompileError("internal error: evaluating the compiled recipe failed: \(error) (please report)")
    }
    return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
  }

  /// Compiles a preference loss for `batch` and evaluates it in Double.
  public static func evaluate(_ loss: PreferenceLoss, span: SourceSpan?, on batch: PreferenceBatch) throws(CompileError) -> [String: [Double]] {
    let program = try PreferenceProgram.compile(loss, rows: batch.rows, items: batch.items, present: Set(batch.inputs.keys), span: span)
    var inputs: [String: DoubleTensor] = [:]
    for (name, values) in batch.inputs {
      inputs[name] = DoubleTensor(shape: PreferenceLoss.shape(of: name, rows: batch.rows, items: batch.items, format: batch.format), values: values)
    }
    do {
      let results = try ReferenceInterpreter.evaluate(program.graph, inputs: inputs)
      return Dictionary(uniqueKeysWithValues: zip(program.outputNames, results.map(\.values)))
    } catch {
      throw CompileError("internal error: evaluating the preference loss failed: \(error) (please report)", at: span)
    }
  }

  /// The output object in DESIGN.md's order: advantages, returns, loss, grad_logp,
  /// grad_value_pred, grad_logp_full ([N][T][V]), terms.
  static func render(_ values: [String: [Double]], rows: Int, tokens: Int, vector: Bool = false) -> JSONValue {
    func matrix(_ flat: [Double]) -> JSONValue {
      .array((0..<rows).map { i in .array(flat[(i * tokens)..<((i + 1) * tokens)].map { .number($0) }) })
    }
    var members: [(String, JSONValue)] = []
    for key in ["advantages", "returns"] { if let v = values[key] { members.append((key, matrix(v))) } }
    if let loss = values["loss"]?.first { members.append(("loss", .number(loss))) }
    for key in ["grad_logp", "grad_value_pred"] { if let v = values[key] { members.append((key, vector ? .array(v.map { .number($0) }) : matrix(v))) } }
    if let v = values["grad_logp_full"], rows * tokens > 0 {
      let width = v.count / (rows * tokens)
      members.append(("grad_logp_full", .array((0..<rows).map { i in
        .array((0..<tokens).map { t in .array(v[((i * tokens + t) * width)..<((i * tokens + t + 1) * width)].map { .number($0) }) })
      })))
    }
    for key in ["grad_chosen_logp", "grad_rejected_logp"] { if let v = values[key] { members.append((key, .array(v.map { .number($0) }))) } }
    let terms = termNames.compactMap { name in values["terms.\(name)"]?.first.map { (name, JSONValue.number($0)) } }
    members.append(("terms", .object(terms)))
    return .object(members)
  }

  /// The `terms` members in print order: the aggregated terms, a clipping rule's clip
  /// fractions, a preference loss's rewards and margin.
  static let termNames = ["pg_loss", "kl", "entropy", "value_loss", "clip_frac_low", "clip_frac_high", "clip_frac_dual",
                          "chosen_reward", "rejected_reward", "margin"]
}
