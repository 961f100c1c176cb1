import Foundation

/// A dense array over named axes, in `Axis` order (`[batch, group, token]`), row-major.
public struct NamedArray: Sendable, Equatable {
  public var axes: [Axis]
  public var sizes: [Axis: Int]
  public var values: [Double]

  public init(axes: [Axis], sizes: [Axis: Int], values: [Double]) {
    self.axes = axes.sorted()
    self.sizes = sizes.filter { axes.contains($0.key) }
    self.values = values
  }

  /// A value with no axes.
  public init(scalar: Double) { self.init(axes: [], sizes: [:], values: [scalar]) }

  /// The element at `index` (an axis → position map; axes the array lacks are ignored).
  public func element(at index: [Axis: Int]) -> Double {
    var offset = 0
    for axis in axes { offset = offset * (sizes[axis] ?? 1) + (index[axis] ?? 0) }
    return values[offset]
  }

  /// Every index of an array with `axes` and `sizes`, in row-major order.
  static func indices(axes: [Axis], sizes: [Axis: Int]) -> [[Axis: Int]] {
    var result: [[Axis: Int]] = [[:]]
    for axis in axes {
      result = result.flatMap { index in (0..<(sizes[axis] ?? 1)).map { var next = index; next[axis] = $0; return next } }
    }
    return result
  }
}

/// An input the evaluator was not given.
public struct MissingInput: Error, Sendable, Equatable {
  public var name: String

  public init(name: String) { self.name = name }
}

/// Evaluates checked expressions in `Double` on small dense arrays: the reference semantics
/// the graph lowering must match (tests compare the two). Reductions over `token` skip
/// masked positions; `std` is unbiased (n - 1), as torch, verl and TRL compute it, and 0
/// when fewer than two elements count.
public struct ReferenceEvaluator: ExprLowering {
  public var inputs: [String: NamedArray]
  /// `[batch, group, token]`, 1 on real tokens; absent means every position is real.
  public var mask: NamedArray?

  public init(inputs: [String: NamedArray], mask: NamedArray? = nil) {
    self.inputs = inputs
    self.mask = mask ?? inputs["mask"]
  }

  public func constant(_ value: Double) -> NamedArray { NamedArray(scalar: value) }

  public func input(_ name: String, type: ExprType) throws -> NamedArray {
    guard let value = inputs[name] else { throw MissingInput(name: name) }
    return value
  }

  public func elementwise(_ function: TypedExpr.Elementwise, _ operands: [NamedArray], type: ExprType) -> NamedArray {
    let axes = type.axes.sorted()
    var sizes: [Axis: Int] = [:]
    for operand in operands { sizes.merge(operand.sizes) { a, _ in a } }
    let values = NamedArray.indices(axes: axes, sizes: sizes).map { index in
      Self.apply(function, operands.map { $0.element(at: index) })
    }
    return NamedArray(axes: axes, sizes: sizes, values: values)
  }

  public func reduce(_ reduction: TypedExpr.Reduction, _ operand: NamedArray, over axis: Axis, type: ExprType) -> NamedArray {
    let axes = type.axes.sorted()
    let values = NamedArray.indices(axes: axes, sizes: operand.sizes).map { outer -> Double in
      var items: [Double] = []
      for i in 0..<(operand.sizes[axis] ?? 1) {
        var index = outer
        index[axis] = i
        if axis == .token, let mask, mask.element(at: index) == 0 { continue }
        items.append(operand.element(at: index))
      }
      return Self.reduce(reduction, items)
    }
    return NamedArray(axes: axes, sizes: operand.sizes, values: values)
  }

  private static func reduce(_ reduction: TypedExpr.Reduction, _ items: [Double]) -> Double {
    guard !items.isEmpty else { return 0 }
    let sum = items.reduce(0, +)
    switch reduction {
    case .sum: return sum
    case .mean: return sum / Double(items.count)
    case .min: return items.min() ?? 0
    case .max: return items.max() ?? 0
    case .std:
      guard items.count > 1 else { return 0 }
      let mean = sum / Double(items.count)
      return (items.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(items.count - 1)).squareRoot()
    }
  }

  private static func apply(_ function: TypedExpr.Elementwise, _ x: [Double]) -> Double {
    let truth = { (b: Bool) in b ? 1.0 : 0.0 }
    switch function {
    case .negate: return -x[0]
    case .add: return x[0] + x[1]
    case .subtract: return x[0] - x[1]
    case .multiply: return x[0] * x[1]
    case .divide: return x[0] / x[1]
    case .less: return truth(x[0] < x[1])
    case .lessOrEqual: return truth(x[0] <= x[1])
    case .greater: return truth(x[0] > x[1])
    case .greaterOrEqual: return truth(x[0] >= x[1])
    case .equal: return truth(x[0] == x[1])
    case .notEqual: return truth(x[0] != x[1])
    case .exp: return Foundation.exp(x[0])
    case .log: return Foundation.log(x[0])
    case .abs: return Swift.abs(x[0])
    case .sqrt: return x[0].squareRoot()
    case .stopGradient: return x[0]
    case .minimum: return Swift.min(x[0], x[1])
    case .maximum: return Swift.max(x[0], x[1])
    case .clip: return Swift.min(Swift.max(x[0], x[1]), x[2])
    case .select: return x[0] != 0 ? x[1] : x[2]
    }
  }
}
