import Core

/// How a batch of N sequences × T tokens with group ids maps onto the named axes.
///
/// The graph stores a batch flat: a value over `[batch, group]` is a vector `[N]` (one entry
/// per sequence), a value over `[batch, group, token]` is a matrix `[N, T]`. Groups may
/// differ in size (any ids, in any order), so `group` and `batch` are not dense axes;
/// reductions over them are products with constant 0/1 matrices built here from the ids:
///
///     sameGroup[i, j]    = 1 when rows i and j answer the same prompt
///     samePosition[i, j] = 1 when rows i and j are the k-th answer of their prompts
///
/// `mean(x, over: group)` is then `sameGroup · x / groupSize`, kept at every row of the
/// group (values without a `group` axis are stored expanded: equal on a group's rows).
public struct RowLayout: Sendable, Equatable {
  /// Sequences (rows) N.
  public let rows: Int
  /// Tokens per row T (the mask width).
  public let tokens: Int
  /// For each row, the index of its group in order of first appearance.
  public let groupIndex: [Int]
  /// For each row, its position among the rows of its group (0, 1, …).
  public let position: [Int]
  /// Number of distinct groups.
  public let groupCount: Int

  /// - Parameters:
  ///   - groups: one id per row; rows with equal ids form a group (any ids, any order).
  ///   - tokens: the mask width T.
  public init<ID: Hashable>(groups: [ID], tokens: Int) {
    var index: [ID: Int] = [:]
    var sizes: [Int] = []
    var groupIndex: [Int] = []
    var position: [Int] = []
    for id in groups {
      let g = index[id] ?? { index[id] = sizes.count; sizes.append(0); return sizes.count - 1 }()
      groupIndex.append(g)
      position.append(sizes[g])
      sizes[g] += 1
    }
    self.rows = groups.count
    self.tokens = tokens
    self.groupIndex = groupIndex
    self.position = position
    self.groupCount = sizes.count
  }

  /// The number of rows in each row's group, `[N]`.
  public var groupSizes: [Int] {
    var sizes = [Int](repeating: 0, count: groupCount)
    for g in groupIndex { sizes[g] += 1 }
    return groupIndex.map { sizes[$0] }
  }

  /// The number of groups that have a row at each row's position, `[N]`.
  public var positionCounts: [Int] {
    var counts: [Int: Int] = [:]
    for k in position { counts[k, default: 0] += 1 }
    return position.map { counts[$0] ?? 0 }
  }

  /// Distinct positions (the size of the largest group).
  public var positionCount: Int { (position.max() ?? -1) + 1 }

  /// `[N, N]`: 1 where two rows share a group.
  public var sameGroup: Tensor { pairMatrix { groupIndex[$0] == groupIndex[$1] } }

  /// `[N, N]`: 1 where two rows have the same position in their groups.
  public var samePosition: Tensor { pairMatrix { position[$0] == position[$1] } }

  /// `[N, N]` of ones.
  public var allPairs: Tensor { Tensor(repeating: 1, shape: [rows, rows]) }

  /// A vector `[N]` of these numbers.
  public func vector(_ values: [Int]) -> Tensor {
    Tensor(shape: [rows], scalars: values.map(Float.init))
  }

  private func pairMatrix(_ related: (Int, Int) -> Bool) -> Tensor {
    var scalars = [Float](repeating: 0, count: rows * rows)
    for i in 0..<rows { for j in 0..<rows where related(i, j) { scalars[i * rows + j] = 1 } }
    return Tensor(shape: [rows, rows], scalars: scalars)
  }
}
