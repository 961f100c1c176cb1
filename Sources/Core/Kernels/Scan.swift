/// The linear recurrence y[t] = x[t] + c[t]·y[t−1] along the middle axis of [outer, extent, inner]
/// (from the end when `reverse`): discounted returns, GAE, cumulative sums.
public enum Scan {
  public static func linear(_ x: UnsafePointer<Float>, decay c: UnsafePointer<Float>, outer: Int, extent: Int, inner: Int,
                            reverse: Bool, into y: UnsafeMutablePointer<Float>) {
    for o in 0..<outer {
      let base = o * extent * inner
      for step in 0..<extent {
        let e = reverse ? extent - 1 - step : step
        let at = base + e * inner
        if step == 0 {
          for i in 0..<inner { y[at + i] = x[at + i] }
        } else {
          let previous = at + (reverse ? inner : -inner)
          for i in 0..<inner { y[at + i] = x[at + i] + c[at + i] * y[previous + i] }
        }
      }
    }
  }
}
