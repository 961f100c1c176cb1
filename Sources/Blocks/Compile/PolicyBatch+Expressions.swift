import Diagnostics
import Expr
import Graph

extension PolicyBatch {
  /// What a recipe's `expr:` may read from the batch, for the names in `names` only (each
  /// made on demand, so a formula adds no unused nodes): the inputs the batch binds (0 at
  /// masked positions), `mask`, `len` (real tokens per row), `max_tokens` (the mask width T)
  /// and `group_size` (answers to the row's prompt).
  public func expressionInputs(for names: [String]) -> [String: Value] {
    var inputs: [String: Value] = [:]
    for name in names {
      switch name {
      case "mask": inputs[name] = mask
      case "len": inputs[name] = graph.lengths
      case "max_tokens": inputs[name] = builder.scalar(Float(graph.layout.tokens))
      case "group_size": inputs[name] = groupSizes
      default: if let input = Input(rawValue: name), has(input) { inputs[name] = self[input] }
      }
    }
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
