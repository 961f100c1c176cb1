import Core
import Graph

/// Numerically safe pieces shared by the preference losses, written with graph primitives.
enum PreferenceMath {
  /// log σ(x) = min(x, 0) − log(1 + e^(−|x|)), finite for any x.
  static func logSigmoid(_ x: Value) -> Value { min(x, 0) - log1p(exp(-abs(x))) }

  /// log(1 − e^x) for x < 0.
  static func log1mexp(_ x: Value) -> Value { log(1 - exp(x)) }

  /// A constant `[n, n]` (or `[1, n, n]` with `batched`) holding 1 where the column index
  /// is below the row index: breaks ties between equal values by position.
  static func earlier(_ n: Int, batched: Bool, builder: GraphBuilder) -> Value {
    var scalars = [Float](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<i { scalars[i * n + j] = 1 } }
    return builder.constant(Tensor(shape: Shape(batched ? [1, n, n] : [n, n]), scalars: scalars))
  }

  /// `x` [P] sorted ascending, as `torch.sort(x, dim=0).values`: each output is the input at
  /// its sorted position, so the gradient flows back through the permutation. Ties keep their
  /// order (the permutation is built from comparisons and carries no gradient).
  static func sortedAscending(_ x: Value) -> Value {
    let n = x.shape.count, builder = x.builder
    let column = x.reshaped(to: [n, 1]), row = x.reshaped(to: [1, n])
    // rank_i = #{j : x_j < x_i} + #{j < i : x_j = x_i}, the 0-based sorted position of x_i.
    let before = (row .< column) + (row .== column) * earlier(n, batched: false, builder: builder)
    let rank = stopGradient(before.sum(axis: 1)).reshaped(to: [1, n])
    let positions = builder.constant(Tensor(shape: [n, 1], scalars: (0..<n).map(Float.init)))
    let permutation = rank .== positions  // [k, i] = 1 when x_i lands at position k
    return (permutation * row).sum(axis: 1)
  }

  /// The 0-based position of each of the K items of every row of `x` [P, K] when the row
  /// is sorted descending (the best item has position 0; ties keep list order). No gradient.
  static func descendingPositions(_ x: Value) -> Value {
    let p = x.shape[0], k = x.shape[1]
    let item = x.reshaped(to: [p, k, 1]), other = x.reshaped(to: [p, 1, k])
    let above = (other .> item) + (other .== item) * earlier(k, batched: true, builder: x.builder)
    return stopGradient(above.sum(axis: 2))
  }
}
