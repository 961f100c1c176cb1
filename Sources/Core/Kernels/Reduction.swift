/// Reductions over one axis of a row-major tensor viewed as [outer, extent, inner].
///
/// The output is [outer, inner]: element (o, i) reduces x[o, 0..<extent, i].
public enum Reduction {
  /// What a reduction computes.
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case sum, max
  }

  /// y[o, i] = reduce over e of x[o, e, i].
  public static func reduce(_ kind: Kind, _ x: UnsafePointer<Float>, outer: Int, extent: Int, inner: Int,
                            into y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
      let base = x + o * extent * inner
      let out = y + o * inner
      switch kind {
      case .sum:
        for i in 0..<inner { out[i] = 0 }
        for e in 0..<extent { for i in 0..<inner { out[i] += base[e * inner + i] } }
      case .max:
        for i in 0..<inner { out[i] = -.infinity }
        for e in 0..<extent {
          for i in 0..<inner {
            let v = base[e * inner + i]
            // NOTE: NaN wins, so a NaN entering a max is never hidden.
            if v > out[i] || v.isNaN { out[i] = v }
          }
        }
      }
    }
  }
}
