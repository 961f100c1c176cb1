import Core
import Foundation

extension Graph: CustomStringConvertible {
  /// The graph as text, one equation per line, jaxpr-like: inputs first, outputs last,
  /// types in the binders, labels and recipe origins as trailing comments.
  ///
  ///     { inputs %0:f32[4,16] logp, %1:f32[4,16] old_logp
  ///       %2:f32[4,16] = sub %0 %1
  ///       %3:f32[4,16] = exp %2                    # ratio
  ///       outputs %3 }
  public var description: String {
    let live = liveValues()
    var lines: [String] = []
    let declared = inputs.map { "\($0):\(self[$0].type) \(self[$0].label ?? "")" }
    lines.append("{ inputs " + declared.joined(separator: ", "))
    for (index, node) in nodes.enumerated() where live[index] {
      if case .input = node.op { continue }
      let id = ValueID(index)
      var equation = "  \(id):\(node.type) = \(node.op.name)\(attributes(node))"
      if !node.operands.isEmpty { equation += " " + node.operands.map(\.description).joined(separator: " ") }
      let notes = [node.label, node.origin.map(\.description)].compactMap { $0 }
      if !notes.isEmpty {
        equation = equation.padding(toLength: Swift.max(equation.count, 44), withPad: " ", startingAt: 0)
        equation += "  # " + notes.joined(separator: "  ")
      }
      lines.append(equation)
    }
    lines.append("  outputs " + outputs.map(\.description).joined(separator: " ") + " }")
    return lines.joined(separator: "\n")
  }

  private func attributes(_ node: Node) -> String {
    switch node.op {
    case .constant(let index):
      let tensor = constants[index]
      return tensor.count == 1 ? "[\(tensor.dtype == .float32 ? "\(tensor.scalars[0])" : "\(tensor.indices[0])")]" : ""
    case .reduce(_, let axis): return "[axis=\(axis)]"
    case let .matmul(transposeA, transposeB):
      let flags = [transposeA ? "ta" : nil, transposeB ? "tb" : nil].compactMap { $0 }
      return flags.isEmpty ? "" : "[\(flags.joined(separator: ","))]"
    case .transpose(let permutation): return "[perm=\(permutation.map(String.init).joined(separator: ","))]"
    case .gather(let mode), .scatterAdd(let mode): return mode == .rows ? "[rows]" : "[last_axis]"
    case let .slice(axis, start, length): return "[axis=\(axis), \(start)..<\(start + length)]"
    case .concat(let axis): return "[axis=\(axis)]"
    case let .linearScan(axis, reverse): return "[axis=\(axis)\(reverse ? ", reverse" : "")]"
    default: return ""
    }
  }
}

extension Executable: CustomStringConvertible {
  /// The schedule: one line per kernel launch, fused groups with the values they compute.
  public var description: String { describe(timings: nil) }

  /// The schedule, each step followed by its mean time when `timings` (from `profile`) is given.
  public func describe(timings: [Double]?) -> String {
    var lines = ["executable: \(stepCount) steps, \(bufferBytes) bytes of buffers"]
    if let timings { lines[0] += String(format: ", %.1f us per run", timings.reduce(0, +) / 1000) }
    for (position, (step, id)) in zip(steps, stepValues).enumerated() {
      let node = graph[id]
      var line: String
      switch step {
      case .fused(let kernel, let count, _):
        let ops = kernel.values.map { graph[$0].op.name }.joined(separator: " → ")
        line = "  \(id):\(node.type) = fused[\(ops)] over \(count)"
      default:
        line = "  \(id):\(node.type) = \(node.op.name)"
      }
      if let timings {
        line = line.padding(toLength: Swift.max(line.count, 64), withPad: " ", startingAt: 0)
          + String(format: "  %8.2f us", timings[position] / 1000)
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }
}
