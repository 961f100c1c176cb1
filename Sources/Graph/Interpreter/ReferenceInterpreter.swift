import Core
import Foundation

/// A tensor of Doubles, the reference interpreter's value (int32 indices are stored exactly).
public struct DoubleTensor: Equatable, Sendable {
  public var shape: Shape
  public var values: [Double]

  public init(shape: Shape, values: [Double]) {
    precondition(values.count == shape.count, "DoubleTensor(shape: \(shape)) needs \(shape.count) values")
    self.shape = shape
    self.values = values
  }

  public init(_ tensor: Tensor) {
    shape = tensor.shape
    values = tensor.dtype == .float32 ? tensor.scalars.map(Double.init) : tensor.indices.map(Double.init)
  }
}

/// Evaluates a graph in Double with the plainest loop for every primitive.
///
/// It is the reference the fast executor and every gradient rule are tested against:
/// central finite differences in Double let gradient checks be tight (relative 1e-6).
public enum ReferenceInterpreter {
  /// The graph's outputs for inputs bound by name.
  public static func evaluate(_ graph: Graph, inputs: [String: DoubleTensor]) throws(GraphError) -> [DoubleTensor] {
    var values = [DoubleTensor?](repeating: nil, count: graph.nodes.count)
    let needed = graph.liveValues()
    for (index, node) in graph.nodes.enumerated() where needed[index] {
      let operands = node.operands.map { values[$0.index]! }
      values[index] = try evaluate(node, operands, graph: graph, inputs: inputs)
    }
    return graph.outputs.map { values[$0.index]! }
  }

  static func evaluate(_ node: Node, _ x: [DoubleTensor], graph: Graph, inputs: [String: DoubleTensor]) throws(GraphError) -> DoubleTensor {
    let shape = node.type.shape
    switch node.op {
    case .input(let name):
      guard let value = inputs[name] else { throw .badInput(name: name, reason: "not bound") }
      guard value.shape == shape else {
        throw .badInput(name: name, reason: "expected shape \(shape), got \(value.shape)")
      }
      return value
    case .constant(let index):
      // NOTE: a Float constant is read as the shortest decimal that rounds to it (0.1f is
      // 0.1, not 0.100000001490116), i.e. the number the recipe wrote, so Double
      // evaluations match float64 references such as verl's to the last digit.
      let tensor = graph.constants[index]
      guard tensor.dtype == .float32 else { return DoubleTensor(tensor) }
      return DoubleTensor(shape: tensor.shape, values: tensor.scalars.map { $0 == $0.rounded() || !$0.isFinite ? Double($0) : Double("\($0)") ?? Double($0) })
    case .unary(let f):
      return DoubleTensor(shape: shape, values: x[0].values.map { apply(f, $0) })
    case .binary(let f):
      let n = shape.count
      return DoubleTensor(shape: shape, values: (0..<n).map { i in
        apply(f, x[0].values[x[0].values.count == 1 ? 0 : i], x[1].values[x[1].values.count == 1 ? 0 : i])
      })
    case .select:
      let pick = { (t: DoubleTensor, i: Int) in t.values[t.values.count == 1 ? 0 : i] }
      return DoubleTensor(shape: shape, values: (0..<shape.count).map { i in
        x[0].values[i] != 0 ? pick(x[1], i) : pick(x[2], i)
      })
    case let .reduce(kind, axis):
      let (outer, extent, inner) = x[0].shape.split(at: axis)
      var out = [Double](repeating: kind == .sum ? 0 : -.infinity, count: outer * inner)
      for o in 0..<outer { for e in 0..<extent { for i in 0..<inner {
        let v = x[0].values[(o * extent + e) * inner + i]
        switch kind {
        case .sum: out[o * inner + i] += v
        case .max: if v > out[o * inner + i] || v.isNaN { out[o * inner + i] = v }
        }
      } } }
      return DoubleTensor(shape: shape, values: out)
    case let .matmul(transposeA, transposeB):
      return matmul(x[0], x[1], transposeA: transposeA, transposeB: transposeB, shape: shape)
    case .transpose(let permutation):
      let inStrides = x[0].shape.strides
      return DoubleTensor(shape: shape, values: (0..<shape.count).map { flat in
        let position = unravel(flat, shape)
        var source = 0
        for (axis, p) in permutation.enumerated() { source += position[axis] * inStrides[p] }
        return x[0].values[source]
      })
    case .reshape, .stopGradient:
      return DoubleTensor(shape: shape, values: x[0].values)
    case .broadcast:
      let inShape = x[0].shape
      return DoubleTensor(shape: shape, values: (0..<shape.count).map { flat in
        if inShape.rank == 0 { return x[0].values[0] }
        let position = unravel(flat, shape).enumerated().map { inShape[$0.offset] == 1 ? 0 : $0.element }
        return x[0].values[ravel(position, inShape)]
      })
    case .gather(let mode):
      let (table, indices) = (x[0], x[1])
      switch mode {
      case .rows:
        let width = table.shape[1]
        var out: [Double] = []
        for index in indices.values {
          let row = try checkedIndex(index, table.shape[0])
          out += table.values[row * width..<(row + 1) * width]
        }
        return DoubleTensor(shape: shape, values: out)
      case .lastAxis:
        let width = table.shape[table.shape.rank - 1]
        return DoubleTensor(shape: shape, values: try indices.values.enumerated().map { (i, index) throws(GraphError) in
          table.values[i * width + (try checkedIndex(index, width))]
        })
      }
    case .scatterAdd(let mode):
      let (source, indices) = (x[0], x[1])
      var out = [Double](repeating: 0, count: shape.count)
      let width = shape[shape.rank - 1]
      for (i, index) in indices.values.enumerated() {
        switch mode {
        case .rows:
          let row = try checkedIndex(index, shape[0])
          for d in 0..<width { out[row * width + d] += source.values[i * width + d] }
        case .lastAxis:
          out[i * width + (try checkedIndex(index, width))] += source.values[i]
        }
      }
      return DoubleTensor(shape: shape, values: out)
    case let .slice(axis, start, length):
      let (outer, extent, inner) = x[0].shape.split(at: axis)
      var out: [Double] = []
      for o in 0..<outer { for e in start..<(start + length) { for i in 0..<inner {
        out.append(x[0].values[(o * extent + e) * inner + i])
      } } }
      return DoubleTensor(shape: shape, values: out)
    case .concat(let axis):
      let (outer, _, inner) = shape.split(at: axis)
      var out: [Double] = []
      for o in 0..<outer {
        for part in x {
          let extent = part.shape[axis]
          out += part.values[o * extent * inner..<(o + 1) * extent * inner]
        }
      }
      return DoubleTensor(shape: shape, values: out)
    case let .linearScan(axis, reverse):
      let (outer, extent, inner) = shape.split(at: axis)
      var out = [Double](repeating: 0, count: shape.count)
      for o in 0..<outer { for i in 0..<inner {
        var carry = 0.0
        for step in 0..<extent {
          let e = reverse ? extent - 1 - step : step
          let at = (o * extent + e) * inner + i
          carry = x[0].values[at] + x[1].values[at] * carry
          out[at] = carry
        }
      } }
      return DoubleTensor(shape: shape, values: out)
    }
  }

  static func apply(_ f: UnaryFunction, _ x: Double) -> Double {
    switch f {
    case .neg: -x
    case .exp: Foundation.exp(x)
    case .log: Foundation.log(x)
    case .log1p: Foundation.log1p(x)
    case .tanh: Foundation.tanh(x)
    case .sigmoid: 1 / (1 + Foundation.exp(-x))
    case .relu: x > 0 ? x : 0
    case .gelu: 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot()))
    case .sqrt: x.squareRoot()
    case .abs: Swift.abs(x)
    case .square: x * x
    case .reciprocal: 1 / x
    case .erf: Foundation.erf(x)
    case .geluDerivative: 0.5 * Foundation.erfc(-x / 2.0.squareRoot()) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
    case .step: x > 0 ? 1 : 0
    case .sign: x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
  }

  static func apply(_ f: BinaryFunction, _ a: Double, _ b: Double) -> Double {
    switch f {
    case .add: a + b
    case .sub: a - b
    case .mul: a * b
    case .div: a / b
    case .pow: Foundation.pow(a, b)
    case .min: a.isNaN || b.isNaN ? .nan : Swift.min(a, b)
    case .max: a.isNaN || b.isNaN ? .nan : Swift.max(a, b)
    case .less: a < b ? 1 : 0
    case .lessEqual: a <= b ? 1 : 0
    case .greater: a > b ? 1 : 0
    case .greaterEqual: a >= b ? 1 : 0
    case .equal: a == b ? 1 : 0
    case .notEqual: a != b ? 1 : 0
    }
  }

  static func matmul(_ a: DoubleTensor, _ b: DoubleTensor, transposeA: Bool, transposeB: Bool, shape: Shape) -> DoubleTensor {
    let rank = shape.rank
    let (m, n) = (shape[rank - 2], shape[rank - 1])
    let k = transposeA ? a.shape[rank - 2] : a.shape[rank - 1]
    let batch = shape.count / Swift.max(m * n, 1)
    var out = [Double](repeating: 0, count: shape.count)
    for p in 0..<batch { for i in 0..<m { for j in 0..<n {
      var total = 0.0
      for q in 0..<k {
        let av = a.values[p * m * k + (transposeA ? q * m + i : i * k + q)]
        let bv = b.values[p * k * n + (transposeB ? j * k + q : q * n + j)]
        total += av * bv
      }
      out[p * m * n + i * n + j] = total
    } } }
    return DoubleTensor(shape: shape, values: out)
  }

  static func checkedIndex(_ index: Double, _ extent: Int) throws(GraphError) -> Int {
    guard index >= 0, index < Double(extent) else {
      throw .invalid(op: "gather", reason: "index \(Int(index)) is out of range 0..<\(extent)")
    }
    return Int(index)
  }

  static func unravel(_ flat: Int, _ shape: Shape) -> [Int] {
    var rest = flat
    var position = [Int](repeating: 0, count: shape.rank)
    for axis in stride(from: shape.rank - 1, through: 0, by: -1) {
      position[axis] = rest % shape[axis]
      rest /= shape[axis]
    }
    return position
  }

  static func ravel(_ position: [Int], _ shape: Shape) -> Int {
    zip(position, shape.strides).reduce(0) { $0 + $1.0 * $1.1 }
  }
}

extension Graph {
  /// Which values the outputs depend on; everything else is dead code.
  public func liveValues() -> [Bool] {
    var live = [Bool](repeating: false, count: nodes.count)
    for output in outputs { live[output.index] = true }
    for index in stride(from: nodes.count - 1, through: 0, by: -1) where live[index] {
      for operand in nodes[index].operands { live[operand.index] = true }
    }
    return live
  }
}
