import Core

/// The primitive operations of the graph IR; everything else (softmax, clip, masked mean,
/// std, logsumexp) is composed from these by the builder.
///
/// The set is closed and small on purpose (tinygrad, jaxpr): autodiff needs one rule per
/// case, the planner one kernel per case, and the reference interpreter one loop per case.
public enum Op: Hashable, Sendable {
  /// A named tensor bound at run time (parameters, batches).
  case input(name: String)
  /// A tensor fixed when the graph is built; the payload indexes `Graph.constants`.
  case constant(index: Int)
  /// y = f(x) elementwise.
  case unary(UnaryFunction)
  /// y = f(a, b) elementwise; shapes are equal, or one operand is a rank-0 scalar.
  case binary(BinaryFunction)
  /// y = condition ≠ 0 ? a : b elementwise (the condition is a 0/1 mask).
  case select
  /// Sum or max over one axis, which is removed from the shape.
  case reduce(Reduction.Kind, axis: Int)
  /// Batched matrix product over the last two axes; leading axes are equal batch axes.
  case matmul(transposeA: Bool, transposeB: Bool)
  /// Axis permutation: output axis i is input axis `permutation[i]`.
  case transpose(permutation: [Int])
  /// Same elements, new shape (the node's type).
  case reshape
  /// Repeats size-1 axes to the node's shape (equal rank).
  case broadcast
  /// Picks elements by int32 indices (see `GatherMode`).
  case gather(GatherMode)
  /// The adjoint of `gather`: adds each value into a zero tensor of the node's shape at its index.
  case scatterAdd(GatherMode)
  /// The elements `start..<start+length` of one axis.
  case slice(axis: Int, start: Int, length: Int)
  /// Joins the operands along one axis.
  case concat(axis: Int)
  /// The linear recurrence y[t] = x[t] + c[t]·y[t∓1] along an axis (GAE, discounted returns,
  /// cumulative sums); `reverse` runs from the last element back.
  case linearScan(axis: Int, reverse: Bool)
  /// The identity in the forward pass; no gradient flows through it.
  case stopGradient

  /// Elementwise ops compute each output element from the same element of their operands,
  /// so chains of them can be fused into one pass over memory.
  public var isElementwise: Bool {
    switch self {
    case .unary, .binary, .select, .stopGradient: true
    default: false
    }
  }

  /// The short name used in printed graphs and error messages.
  public var name: String {
    switch self {
    case .input: "input"
    case .constant: "const"
    case .unary(let f): f.rawValue
    case .binary(let f): f.rawValue
    case .select: "select"
    case .reduce(let kind, _): "reduce_\(kind.rawValue)"
    case .matmul: "matmul"
    case .transpose: "transpose"
    case .reshape: "reshape"
    case .broadcast: "broadcast"
    case .gather: "gather"
    case .scatterAdd: "scatter_add"
    case .slice: "slice"
    case .concat: "concat"
    case .linearScan: "linear_scan"
    case .stopGradient: "stop_gradient"
    }
  }
}

/// How `gather` reads its table with int32 indices.
public enum GatherMode: Hashable, Sendable {
  /// table [V, D], indices [N...] → [N..., D]: rows of a table (embedding lookup).
  case rows
  /// x [..., V], indices [...] → [...]: one entry of the last axis per position
  /// (the log-probability of each chosen token).
  case lastAxis
}
