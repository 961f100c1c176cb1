import Diagnostics
import Expr
import Graph

extension PolicyBatch {
  /// What a recipe's `expr:` may read from the batch: the inputs it binds (0 at masked
  /// positions), `mask`, `len` (real tokens per row), `max_tokens` (the mask width T) and
  /// `group_size` (answers to the row's prompt).
  public var expressionInputs: [String: Value] {
    var inputs: [String: Value] = [
      "mask": mask, "len": graph.lengths, "max_tokens": builder.scalar(Float(graph.layout.tokens)), "group_size": groupSizes,
    ]
    for input in Input.allCases where has(input) { inputs[input.rawValue] = self[input] }
    return inputs
  }

  /// Lowers a checked recipe expression; a name the batch does not bind is an error at `span`.
  public func lower(_ expression: TypedExpr, inputs: [String: Value], what: String, at span: SourceSpan?) throws(CompileError) -> Value {
    var lowering = GraphLowering(batch: graph, inputs: inputs)
    do {
      return try expression.lower(into: &lowering)
    } catch let missing as MissingInput {
      throw CompileError("\(what) reads '\(missing.name)', which the batch does not have", at: span,
                         help: ["add \"\(missing.name)\" to the batch JSON"])
    } catch {
      throw CompileError("\(what): \(error)", at: span)
    }
  }
}
