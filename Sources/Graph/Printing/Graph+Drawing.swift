import Core
import Foundation

/// The formats `porecipe graph` draws a graph in.
public enum GraphDrawingFormat: String, CaseIterable, Sendable {
  /// Graphviz: `porecipe graph grpo | dot -Tsvg > grpo.svg`.
  case dot
  /// Mermaid flowchart, which GitHub and many editors render inside Markdown.
  case mermaid
}

extension Graph {
  /// The live part of the graph as a drawing: one box per value (op, type, label, recipe
  /// line), inputs and outputs marked, an edge per operand. Scalar constants are folded
  /// into the label of the node that reads them, so formulas stay legible.
  public func drawing(_ format: GraphDrawingFormat) -> String {
    let live = liveValues()
    let outputSet = Set(outputs)
    var lines: [String] = []
    switch format {
    case .dot: lines += ["digraph program {", "  rankdir=TB;", "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"]
    case .mermaid: lines.append("flowchart TD")
    }
    for (index, node) in nodes.enumerated() where live[index] && !isFoldedScalar(node) {
      let id = ValueID(index)
      let text = drawingLabel(id)
      switch format {
      case .dot:
        let style = inputOrOutputStyle(node: node, isOutput: outputSet.contains(id))
        lines.append("  v\(index) [label=\"\(escapeDot(text))\"\(style)];")
      case .mermaid:
        let (open, close) = isInput(node) ? ("[/", "/]") : outputSet.contains(id) ? ("([", "])") : ("[", "]")
        lines.append("  v\(index)\(open)\"\(escapeMermaid(text))\"\(close)")
      }
    }
    for (index, node) in nodes.enumerated() where live[index] && !isFoldedScalar(node) {
      for operand in node.operands where !isFoldedScalar(self[operand]) {
        switch format {
        case .dot: lines.append("  v\(operand.index) -> v\(index);")
        case .mermaid: lines.append("  v\(operand.index) --> v\(index)")
        }
      }
    }
    if format == .dot { lines.append("}") }
    return lines.joined(separator: "\n")
  }

  private func isInput(_ node: Node) -> Bool {
    if case .input = node.op { return true }
    return false
  }

  private func isFoldedScalar(_ node: Node) -> Bool {
    if case .constant(let index) = node.op { return constants[index].count == 1 }
    return false
  }

  private func inputOrOutputStyle(node: Node, isOutput: Bool) -> String {
    if isInput(node) { return ", shape=parallelogram" }
    return isOutput ? ", style=bold" : ""
  }

  /// `%5 mul · 0.5` / `f32[4,6]` / `ratio` / `grpo.yaml:14:5`, one per line.
  private func drawingLabel(_ id: ValueID) -> String {
    let node = self[id]
    var head = "\(id) "
    if case .input(let name) = node.op {
      head += name
    } else {
      head += node.op.name
      let scalars = node.operands.compactMap { operand -> String? in
        let source = self[operand]
        guard case .constant(let index) = source.op, constants[index].count == 1 else { return nil }
        return constants[index].dtype == .float32 ? "\(constants[index].scalars[0])" : "\(constants[index].indices[0])"
      }
      if !scalars.isEmpty { head += " · " + scalars.joined(separator: ", ") }
    }
    var parts = [head, node.type.description]
    if let label = node.label, !isInput(node) { parts.append(label) }
    if let origin = node.origin { parts.append(origin.description) }
    return parts.joined(separator: "\n")
  }

  private func escapeDot(_ text: String) -> String {
    text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  private func escapeMermaid(_ text: String) -> String {
    text.replacingOccurrences(of: "\"", with: "#quot;").replacingOccurrences(of: "<", with: "#lt;")
      .replacingOccurrences(of: ">", with: "#gt;").replacingOccurrences(of: "\n", with: "<br/>")
  }
}
