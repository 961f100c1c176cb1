import Core

/// How a batch of N sequences × T tokens with group ids maps onto the named axes.
///
/// The graph stores a batch flat: a value over `[batch, group]` is a vector `[N]` (one entry
/// per sequence), a value over `[batch, group, token]` is a matrix `[N, T]`. Groups may
/// differ in size (any ids, in any order), so `group` and `batch` are not dense axes;
/// reductions over them read the rows of a *segment* (`Segments`), by indices built here:
///
///     groups:     rows that answer the same prompt
///     positions:  rows that are the k-th answer of their prompts
///     all:        every row
///
/// `mean(x, over: group)` is then the sum over the row's group (scatter-add into one row per
/// group, gathered back) over `groupSize`, kept at every row of the group (values without a
/// `group` axis are stored expanded: equal on a group's rows).
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

  /// The row sets a reduction across rows reads: each row reduces over its segment.
  public enum Segments: String, Sendable {
    /// The rows of one prompt.
    case groups = "group"
    /// The k-th rows of every prompt.
    case positions = "position"
    /// The whole batch.
    case all
  }

  /// Each row's segment, `[N]`, numbered from 0.
  public func segmentIndex(_ segments: Segments) -> [Int] {
    switch segments {
    case .groups: groupIndex
    case .positions: position
    case .all: [Int](repeating: 0, count: rows)
    }
  }

  /// The number of segments.
  public func segmentCount(_ segments: Segments) -> Int {
    switch segments {
    case .groups: groupCount
    case .positions: positionCount
    case .all: rows > 0 ? 1 : 0
    }
  }

  /// The rows of each segment in order, padded with -1 to the largest segment's size P:
  /// a row-major `[S, P]` table and P.
  public func segmentSlots(_ segments: Segments) -> (slots: [Int], size: Int) {
    let index = segmentIndex(segments), count = segmentCount(segments)
    var members = [[Int]](repeating: [], count: count)
    for (row, segment) in index.enumerated() { members[segment].append(row) }
    let size = members.map(\.count).max() ?? 0
    return (members.flatMap { $0 + [Int](repeating: -1, count: size - $0.count) }, size)
  }

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
