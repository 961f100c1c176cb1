import Core

/// The vector–Jacobian product of every primitive, in one table (STYLE.md §3).
///
/// Given the cotangent `g` of a node's output, each rule returns the cotangent of each
/// operand (nil where no gradient flows), written with the same builder ops as any formula.
enum GradientRules {
  static func vjp(_ node: Node, output y: Value, cotangent g: Value, in b: GraphBuilder) -> [Value?] {
    let x = node.operands.map(b.value)
    switch node.op {
    case .input, .constant, .stopGradient:
      return x.map { _ in nil }

    case .unary(let f):
      let x = x[0]
      switch f {
      case .neg: return [-g]
      case .exp: return [g * y]
      case .log: return [g / x]
      case .log1p: return [g / (1 + x)]
      case .tanh: return [g * (1 - square(y))]
      case .sigmoid: return [g * (y * (1 - y))]
      case .relu: return [g * step(x)]
      // d/dx x·Φ(x) = Φ(x) + x·φ(x)
      case .gelu: return [g * x.builder.apply(.geluDerivative, x)]
      // d/dx (Φ(x) + x·φ(x)) = φ(x)·(2 − x²)
      case .geluDerivative: return [g * exp(-0.5 * square(x)) * 0.39894228040143268 * (2 - square(x))]
      case .sqrt: return [g * 0.5 / y]
      case .abs: return [g * sign(x)]
      case .square: return [g * 2 * x]
      case .reciprocal: return [-g * square(y)]
      case .erf: return [g * 1.1283791670955126 * exp(-square(x))]
      case .step, .sign: return [nil]
      }

    case .binary(let f):
      let (a, c) = (x[0], x[1])
      let (ga, gc): (Value?, Value?)
      switch f {
      case .add: (ga, gc) = (g, g)
      case .sub: (ga, gc) = (g, -g)
      case .mul: (ga, gc) = (g * c, g * a)
      case .div: (ga, gc) = (g / c, -g * y / c)
      case .pow: (ga, gc) = (g * c * pow(a, c - 1), g * y * log(a))
      // NOTE: a tie sends half the gradient to each side, as torch.minimum/maximum do;
      // the branch that is not selected gets none (PPO's clipped surrogate).
      case .min:
        let share = (a .< c) + 0.5 * (a .== c)
        (ga, gc) = (g * share, g * (1 - share))
      case .max:
        let share = (a .> c) + 0.5 * (a .== c)
        (ga, gc) = (g * share, g * (1 - share))
      case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
        (ga, gc) = (nil, nil)
      }
      return [ga.map { unbroadcast($0, to: a.shape) }, gc.map { unbroadcast($0, to: c.shape) }]

    case .select:
      let zero = b.scalar(0)
      return [nil, unbroadcast(select(x[0], g, zero), to: x[1].shape),
              unbroadcast(select(x[0], zero, g), to: x[2].shape)]

    case .reduce(let kind, let axis):
      var kept = x[0].shape
      kept[axis] = 1
      let spread = g.reshaped(to: kept).broadcast(to: x[0].shape)
      switch kind {
      case .sum: return [spread]
      case .max:
        let isMax = x[0] .== y.reshaped(to: kept).broadcast(to: x[0].shape)
        let ties = isMax.sum(axis: axis, keepingDims: true).broadcast(to: x[0].shape)
        return [spread * isMax / ties]
      }

    case let .matmul(transposeA, transposeB):
      let (a, c) = (x[0], x[1])
      switch (transposeA, transposeB) {
      case (false, false): return [matmul(g, c, transposeB: true), matmul(a, g, transposeA: true)]
      case (true, false): return [matmul(c, g, transposeB: true), matmul(a, g)]
      case (false, true): return [matmul(g, c), matmul(g, a, transposeA: true)]
      case (true, true): return [matmul(c, g, transposeA: true, transposeB: true),
                                 matmul(g, a, transposeA: true, transposeB: true)]
      }

    case .transpose(let permutation):
      var inverse = permutation
      for (i, p) in permutation.enumerated() { inverse[p] = i }
      return [g.transposed(inverse)]

    case .reshape:
      return [g.reshaped(to: x[0].shape)]

    case .broadcast:
      return [unbroadcast(g, to: x[0].shape)]

    case .gather(let mode):
      return [g.scatterAdd(x[1], mode: mode, into: x[0].shape), nil]

    case .scatterAdd(let mode):
      switch mode {
      case .rows: return [g.gatherRows(x[1]), nil]
      case .lastAxis: return [g.gatherLastAxis(x[1]), nil]
      }

    case let .slice(axis, start, length):
      let extent = x[0].shape[axis]
      var parts: [Value] = []
      if start > 0 { parts.append(zeros(like: g, axis: axis, length: start)) }
      parts.append(g)
      if start + length < extent { parts.append(zeros(like: g, axis: axis, length: extent - start - length)) }
      return [concat(parts, axis: axis)]

    case .concat(let axis):
      var offset = 0
      return x.map { operand in
        defer { offset += operand.shape[axis] }
        return g.sliced(axis: axis, start: offset, length: operand.shape[axis])
      }

    case let .linearScan(axis, reverse):
      // y[t] = x[t] + c[t]·y[t∓1]. The adjoint runs the other way with the decay shifted by
      // one step: u[t] = g[t] + c[t±1]·u[t±1]; then dx = u and dc[t] = u[t]·y[t∓1].
      let c = x[1]
      let towardStart = reverse ? -1 : 1
      let u = linearScan(g, decay: shifted(c, by: -towardStart, axis: axis), axis: axis, reverse: !reverse)
      return [u, u * shifted(y, by: towardStart, axis: axis)]
    }
  }

  /// Sums a cotangent down to the shape of an operand that was broadcast (or a scalar).
  static func unbroadcast(_ g: Value, to shape: Shape) -> Value {
    if g.shape == shape { return g }
    if shape.isScalar { return g.sum() }
    var result = g
    for axis in 0..<shape.rank where shape[axis] == 1 && g.shape[axis] != 1 {
      result = result.sum(axis: axis, keepingDims: true)
    }
    return result
  }

  /// v moved `by` positions along `axis` (+1: v[t−1] lands at t), zero-filled.
  static func shifted(_ v: Value, by offset: Int, axis: Int) -> Value {
    let extent = v.shape[axis]
    guard extent > 1 else { return zeros(like: v, axis: axis, length: extent) }
    if offset > 0 {
      return concat([zeros(like: v, axis: axis, length: 1), v.sliced(axis: axis, start: 0, length: extent - 1)], axis: axis)
    }
    return concat([v.sliced(axis: axis, start: 1, length: extent - 1), zeros(like: v, axis: axis, length: 1)], axis: axis)
  }

  static func zeros(like v: Value, axis: Int, length: Int) -> Value {
    zeros(in: v.builder, v.shape, axis: axis, length: length)
  }

  /// Zeros of `shape` with `axis` resized to `length`, as a broadcast scalar: the planner
  /// fills them in a fused kernel, with no constant stored in the graph.
  static func zeros(in builder: GraphBuilder, _ shape: Shape, axis: Int, length: Int) -> Value {
    var shape = shape
    shape[axis] = length
    return builder.scalar(0).broadcast(to: shape)
  }
}
