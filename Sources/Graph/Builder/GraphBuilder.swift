import Core
import Diagnostics

/// Builds a `Graph` with code that reads like the formula it computes:
///
///     let g = GraphBuilder()
///     let logp = g.input("logp", [4, 16]), oldLogp = g.input("old_logp", [4, 16])
///     let ratio = exp(logp - oldLogp)
///     let graph = try g.build(outputs: [ratio.mean()])
///
/// Operators do not throw, so formulas stay readable: the first shape or type error is
/// recorded (naming the op and the shapes) and `build(outputs:)` throws it.
public final class GraphBuilder {
  private(set) var nodes: [Node] = []
  private(set) var constants: [Tensor] = []
  private(set) var inputIDs: [ValueID] = []
  private(set) var errors: [GraphError] = []
  private var scalarConstants: [Float: ValueID] = [:]
  /// Every op node by (op, operands, type), so the same expression built twice is one node
  /// (the broadcast of `adv` in both PPO branches, a mean used by two formulas).
  private var existing: [Node: ValueID] = [:]

  /// Attached to every node created while it is set: the recipe entry being compiled.
  public var origin: SourceSpan?

  public init() {}

  /// Continues building on top of an existing graph; its values keep their ids.
  public init(extending graph: Graph) {
    nodes = graph.nodes
    constants = graph.constants
    inputIDs = graph.inputs
    for (index, node) in graph.nodes.enumerated() where !node.operands.isEmpty {
      existing[Node(op: node.op, operands: node.operands, type: node.type)] = ValueID(index)
    }
  }

  // MARK: - Leaves

  /// A tensor bound by name when the graph runs.
  public func input(_ name: String, _ shape: Shape, dtype: DType = .float32) -> Value {
    if inputIDs.contains(where: { if case .input(name) = nodes[$0.index].op { true } else { false } }) {
      record(.invalid(op: "input", reason: "an input named '\(name)' already exists"))
    }
    let value = append(Node(op: .input(name: name), operands: [], type: ValueType(dtype, shape), label: name))
    inputIDs.append(value.id)
    return value
  }

  /// A tensor fixed in the graph.
  public func constant(_ tensor: Tensor, label: String? = nil) -> Value {
    constants.append(tensor)
    return append(Node(op: .constant(index: constants.count - 1), operands: [],
                       type: ValueType(tensor.dtype, tensor.shape), label: label))
  }

  /// A rank-0 constant; repeated scalars share one node.
  public func scalar(_ x: Float) -> Value {
    if let id = scalarConstants[x], !x.isNaN { return value(id) }
    let value = constant(Tensor(scalar: x))
    scalarConstants[x] = value.id
    return value
  }

  /// A constant filled with `x`.
  public func full(_ x: Float, _ shape: Shape) -> Value {
    shape.isScalar ? scalar(x) : constant(Tensor(repeating: x, shape: shape))
  }

  /// The handle of an existing value.
  public func value(_ id: ValueID) -> Value { Value(id: id, builder: self) }

  /// The node that produced a value.
  public func node(_ id: ValueID) -> Node { nodes[id.index] }

  // MARK: - Finishing

  /// The graph with these outputs, or the first error recorded while building.
  public func build(outputs: [Value]) throws(GraphError) -> Graph {
    if let error = errors.first { throw error }
    for output in outputs where output.builder !== self {
      throw .invalid(op: "build", reason: "output \(output.id) belongs to another builder")
    }
    return Graph(nodes: nodes, constants: constants, inputs: inputIDs, outputs: outputs.map(\.id))
  }

  // MARK: - Internals used by the op constructors

  @discardableResult
  func append(_ node: Node) -> Value {
    var node = node
    if node.origin == nil { node.origin = origin }
    nodes.append(node)
    return Value(id: ValueID(nodes.count - 1), builder: self)
  }

  /// Appends an op node; `type` is the inferred result type.
  func make(_ op: Op, _ operands: [Value], _ type: ValueType) -> Value {
    for operand in operands where operand.builder !== self {
      record(.invalid(op: op.name, reason: "operand \(operand.id) belongs to another builder"))
    }
    let key = Node(op: op, operands: operands.map(\.id), type: type)
    if let id = existing[key] { return value(id) }
    let value = append(key)
    existing[key] = value.id
    return value
  }

  func replace(_ id: ValueID, with node: Node) {
    nodes[id.index] = node
  }

  /// Remembers an error; building continues so that one call reports the first mistake.
  func record(_ error: GraphError) {
    errors.append(error)
  }
}
