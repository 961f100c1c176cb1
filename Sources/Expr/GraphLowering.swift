import Core
import Graph

/// Lowers a checked expression into graph nodes over a flat batch (see `RowLayout`).
///
/// A value over `[batch, group, token]` is `[N, T]`, over `[batch, group]` (or any row axis
/// without `token`) is `[N]`, a constant is rank 0. Reductions follow `ReferenceEvaluator`:
/// over `token` they read real tokens only (a row with none gives 0); `std` is unbiased;
/// over `group` and `batch` they are products with the layout's 0/1 row matrices, so groups
/// may differ in size.
///
///     var lowering = GraphLowering(batch: batch, inputs: ["reward": reward])
///     let advantage = try expr.lower(into: &lowering)
public struct GraphLowering: ExprLowering {
  public let batch: BatchGraph
  /// The graph value of each name an expression may read (`[N]`, `[N, T]` or rank 0).
  public var inputs: [String: GraphValue]

  public init(batch: BatchGraph, inputs: [String: GraphValue]) {
    self.batch = batch
    self.inputs = inputs
  }

  public func constant(_ value: Double) -> GraphValue { batch.builder.scalar(Float(value)) }

  public func input(_ name: String, type: ExprType) throws -> GraphValue {
    guard let value = inputs[name] else { throw MissingInput(name: name) }
    return value
  }

  public func elementwise(_ function: TypedExpr.Elementwise, _ operands: [GraphValue], type: ExprType) -> GraphValue {
    let perToken = operands.contains { $0.rank == 2 }
    let x = perToken ? operands.map(batch.toTokens) : operands
    switch function {
    case .negate: return -x[0]
    case .add: return x[0] + x[1]
    case .subtract: return x[0] - x[1]
    case .multiply: return x[0] * x[1]
    case .divide: return x[0] / x[1]
    case .less: return x[0] .< x[1]
    case .lessOrEqual: return x[0] .<= x[1]
    case .greater: return x[0] .> x[1]
    case .greaterOrEqual: return x[0] .>= x[1]
    case .equal: return x[0] .== x[1]
    case .notEqual: return x[0] .!= x[1]
    case .exp: return exp(x[0])
    case .log: return log(x[0])
    case .abs: return abs(x[0])
    case .sqrt: return sqrt(x[0])
    case .stopGradient: return stopGradient(x[0])
    case .minimum: return min(x[0], x[1])
    case .maximum: return max(x[0], x[1])
    // NOTE: torch.clamp's gradient: 1 inside the closed interval, 0 outside.
    case .clip: return select(x[0] .< x[1], x[1], select(x[0] .> x[2], x[2], x[0]))
    case .select:
      // NOTE: with two constant branches the result takes the condition's shape.
      let a = x[1].rank == 0 && x[2].rank == 0 && x[0].rank > 0 ? x[1].broadcast(to: x[0].shape) : x[1]
      return select(x[0], a, x[2])
    }
  }

  public func reduce(_ reduction: TypedExpr.Reduction, _ operand: GraphValue, over axis: Axis, type: ExprType) -> GraphValue {
    switch axis {
    case .token:
      let x = batch.toTokens(operand)
      return switch reduction {
      case .sum: batch.tokenSum(x)
      case .mean: batch.tokenMean(x)
      case .std: batch.tokenStd(x)
      case .max: batch.tokenMax(x)
      case .min: -batch.tokenMax(-x)
      }
    case .batch, .group:
      // `type` is the result's: it still has the row axis not reduced here iff the operand did.
      return batch.rowReduce(reduction, operand, over: axis,
                             hasBatchAxis: type.axes.contains(.batch), hasGroupAxis: type.axes.contains(.group))
    }
  }
}
