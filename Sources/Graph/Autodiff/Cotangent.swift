import Core

/// The cotangent collected for one value during reverse mode.
///
/// Usually a sum of terms. Cotangents of disjoint slices along one axis (the q, k and v
/// thirds of a fused projection) are kept as pieces and joined by a single concat when the
/// value's own rule runs, instead of padding each with zeros and adding the pads.
enum Cotangent {
  case value(Value)
  /// Disjoint ranges of `axis`, each with the cotangent of that slice.
  case pieces(axis: Int, [(start: Int, value: Value)])

  /// This cotangent plus `other`, for a value of `shape`.
  func adding(_ other: Cotangent, shape: Shape) -> Cotangent {
    if case let .pieces(axis, mine) = self, case let .pieces(otherAxis, theirs) = other, axis == otherAxis {
      let ranges = (mine + theirs).map { ($0.start, $0.start + $0.value.shape[axis]) }.sorted { $0.0 < $1.0 }
      let disjoint = zip(ranges, ranges.dropFirst()).allSatisfy { $0.1 <= $1.0 }
      if disjoint { return .pieces(axis: axis, mine + theirs) }
    }
    return .value(materialized(shape: shape) + other.materialized(shape: shape))
  }

  /// The cotangent as one value of `shape`; gaps between pieces are zeros.
  func materialized(shape: Shape) -> Value {
    switch self {
    case .value(let value):
      return value
    case let .pieces(axis, pieces):
      let sorted = pieces.sorted { $0.start < $1.start }
      let builder = sorted[0].value.builder
      var parts: [Value] = []
      var position = 0
      for piece in sorted {
        if piece.start > position { parts.append(GradientRules.zeros(in: builder, shape, axis: axis, length: piece.start - position)) }
        parts.append(piece.value)
        position = piece.start + piece.value.shape[axis]
      }
      if position < shape[axis] { parts.append(GradientRules.zeros(in: builder, shape, axis: axis, length: shape[axis] - position)) }
      return concat(parts, axis: axis)
    }
  }
}
