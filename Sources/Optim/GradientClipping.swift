import Core

/// Rescaling gradients whose combined norm is too large.
public enum GradientClipping {
  /// The L2 norm of all gradients taken together, √(Σ over every element of every tensor of g²),
  /// accumulated in `Double`.
  public static func globalNorm(_ gradients: [Tensor]) -> Float {
    Float(sumOfSquares(gradients).squareRoot())
  }

  /// Scales all gradients by one factor so that their global L2 norm is at most `maxNorm`, and
  /// returns the norm before clipping, like `torch.nn.utils.clip_grad_norm_`:
  ///
  ///     norm  = √(Σ g²)                        // over every element of every gradient, in Double
  ///     scale = maxNorm / (norm + 1e-6)
  ///     g    ← g · scale                       // only when scale < 1
  ///
  /// A non-finite norm (a NaN or ∞ in some gradient) is returned as is and the gradients are left
  /// untouched, where torch would turn them all into NaN; the caller decides what to do with the
  /// step.
  ///
  /// - Paper: Pascanu, Mikolov & Bengio 2013, "On the difficulty of training recurrent neural
  ///   networks" (arXiv:1211.5063).
  /// - Matches: `torch.nn.utils.clip_grad_norm_(parameters, max_norm)` with norm_type 2 (see tests).
  /// - Throws: `OptimError.invalidHyperparameter` when `maxNorm` is not a positive finite number
  ///   (torch would flip or zero the gradients).
  @discardableResult
  public static func clipGlobalNorm(_ gradients: inout [Tensor], maxNorm: Float) throws(OptimError) -> Float {
    guard maxNorm.isFinite, maxNorm > 0 else {
      throw .invalidHyperparameter(name: "maxNorm", value: maxNorm, reason: "must be a positive finite number")
    }
    for i in gradients.indices where gradients[i].dtype != .float32 {
      throw .notFloat(index: i, dtype: gradients[i].dtype)
    }
    let norm = sumOfSquares(gradients).squareRoot()
    guard norm.isFinite else { return Float(norm) }
    let scale = Float(Double(maxNorm) / (norm + 1e-6))
    if scale < 1 {
      for i in gradients.indices { multiply(gradients[i].mutableFloats(), count: gradients[i].count, by: scale) }
    }
    return Float(norm)
  }

  // MARK: - Kernels

  private static func sumOfSquares(_ gradients: [Tensor]) -> Double {
    var low = SIMD8<Double>(repeating: 0)
    var high = SIMD8<Double>(repeating: 0)
    for gradient in gradients where gradient.dtype == .float32 {
      let g = gradient.floats
      let count = gradient.count
      @inline(__always) func accumulate(_ i: Int, _ n: Int) {
        let v = Lanes.load(g, i, n)
        let (a, b) = (SIMD8<Double>(v.lowHalf), SIMD8<Double>(v.highHalf))
        low += a * a
        high += b * b
      }
      var i = 0
      while i + Lanes.width <= count { accumulate(i, Lanes.width); i += Lanes.width }
      if i < count { accumulate(i, count - i) }
    }
    return (low + high).sum()
  }

  private static func multiply(_ g: UnsafeMutablePointer<Float>, count: Int, by scale: Float) {
    @inline(__always) func scaled(_ i: Int, _ n: Int) { Lanes.store(Lanes.load(g, i, n) * scale, g, i, n) }
    var i = 0
    while i + Lanes.width <= count { scaled(i, Lanes.width); i += Lanes.width }
    if i < count { scaled(i, count - i) }
  }
}
