import Core

/// The small dense kernels of the sampler, on raw buffers.
enum SamplerKernels {
  /// Yᵀ = Wᵀ·Xᵀ + bias (or Yᵀ += …) on feature-major [features, tokens] matrices, with the
  /// transposed weight [fanOut, fanIn] read in place by `sgemm`; X may be token-major.
  static func linear(_ transposedWeight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
                     into y: UnsafeMutablePointer<Float>, fanIn: Int, fanOut: Int, tokens: Int, accumulate: Bool,
                     tokenMajorInput: Bool = false) {
    Matmul.sgemm(transposeA: false, transposeB: tokenMajorInput, m: fanOut, n: tokens, k: fanIn, a: transposedWeight, lda: fanIn,
                 b: x, ldb: tokenMajorInput ? fanIn : tokens, c: y, ldc: tokens, accumulate: accumulate)
    for j in 0..<fanOut {
      let (row, shift) = (y + j * tokens, bias[j])
      for t in 0..<tokens { row[t] += shift }
    }
  }

  /// PyTorch's LayerNorm, y = (x − mean) / √(var + 1e-5) · gain + bias over the features of
  /// each token, on feature-major [features, tokens] matrices (y may be x); `statistics`
  /// holds 2·tokens floats.
  static func layerNorm(_ x: UnsafePointer<Float>, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        into y: UnsafeMutablePointer<Float>, features: Int, tokens: Int, statistics: UnsafeMutablePointer<Float>) {
    let (mean, inverse) = (statistics, statistics + tokens)
    mean.update(repeating: 0, count: tokens)
    inverse.update(repeating: 0, count: tokens)
    for k in 0..<features {
      let row = x + k * tokens
      for t in 0..<tokens { mean[t] += row[t] }
    }
    let scale = 1 / Float(features)
    for t in 0..<tokens { mean[t] *= scale }
    for k in 0..<features {
      let row = x + k * tokens
      for t in 0..<tokens {
        let centered = row[t] - mean[t]
        inverse[t] += centered * centered
      }
    }
    for t in 0..<tokens { inverse[t] = 1 / (inverse[t] * scale + 1e-5).squareRoot() }
    for k in 0..<features {
      let (row, output, g, shift) = (x + k * tokens, y + k * tokens, gain[k], bias[k])
      for t in 0..<tokens { output[t] = (row[t] - mean[t]) * inverse[t] * g + shift }
    }
  }

  /// Columns every−1, 2·every−1, … of a feature-major [features, tokens] matrix, as a
  /// [features, tokens / every] matrix.
  static func gatherColumns(_ x: UnsafePointer<Float>, tokens: Int, every: Int, features: Int, into y: UnsafeMutablePointer<Float>) {
    let kept = tokens / every
    for k in 0..<features {
      for r in 0..<kept { y[k * kept + r] = x[k * tokens + r * every + every - 1] }
    }
  }

  /// target[j·rows + i] = source[i·columns + j].
  static func transpose(_ source: UnsafePointer<Float>, rows: Int, columns: Int, into target: UnsafeMutablePointer<Float>) {
    let tile = 16
    for i0 in stride(from: 0, to: rows, by: tile) {
      for j0 in stride(from: 0, to: columns, by: tile) {
        for i in i0..<Swift.min(rows, i0 + tile) {
          for j in j0..<Swift.min(columns, j0 + tile) { target[j * rows + i] = source[i * columns + j] }
        }
      }
    }
  }

  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

  /// Σ a[i]·b[i], 16 lanes at a time.
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
      lanes = lanes.addingProduct(load(a + i), load(b + i))
      i += 16
    }
    var total = lanes.sum()
    while i < count {
      total += a[i] * b[i]
      i += 1
    }
    return total
  }

  /// Σ a[i], 16 lanes at a time.
  @inline(__always)
  static func sum(_ a: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
      lanes += load(a + i)
      i += 16
    }
    var total = lanes.sum()
    while i < count {
      total += a[i]
      i += 1
    }
    return total
  }

  /// scores[j] = scale · Σ_k query[k]·key_j[k] for the slots j of the given blocks, with keys
  /// cached in blocks of 16 slots stored [width][16]: a block's scores are one vector per
  /// query element over contiguous memory, accumulated in registers over four independent
  /// chains (one FMA chain would wait on its own latency).
  @inline(__always)
  static func scores(query: UnsafePointer<Float>, scale: Float, keys: UnsafePointer<Float>, width: Int, blocks: ClosedRange<Int>,
                     into scores: UnsafeMutablePointer<Float>) {
    for block in blocks {
      var (a, b, c, d) = (SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>(), SIMD16<Float>())
      let base = keys + block * width * 16
      var k = 0
      while k + 4 <= width {
        a = a.addingProduct(query[k], load(base + k * 16))
        b = b.addingProduct(query[k + 1], load(base + k * 16 + 16))
        c = c.addingProduct(query[k + 2], load(base + k * 16 + 32))
        d = d.addingProduct(query[k + 3], load(base + k * 16 + 48))
        k += 4
      }
      while k < width {
        a = a.addingProduct(query[k], load(base + k * 16))
        k += 1
      }
      UnsafeMutableRawPointer(scores + block * 16).storeBytes(of: ((a + b) + (c + d)) * scale, as: SIMD16<Float>.self)
    }
  }

  /// output[k] = scale · Σ_j weights[j]·values[j·width + k], accumulated in registers over
  /// two chains per vector (even and odd j).
  @inline(__always)
  static func mix(_ weights: UnsafePointer<Float>, scale: Float, values: UnsafePointer<Float>, width: Int, count: Int,
                  into output: UnsafeMutablePointer<Float>) {
    var k = 0
    while k + 16 <= width {
      var (even, odd) = (SIMD16<Float>(), SIMD16<Float>())
      var (evenHigh, oddHigh) = (SIMD16<Float>(), SIMD16<Float>())
      let wide = k + 32 <= width
      var j = 0
      while j + 2 <= count {
        let (row, next) = (values + j * width + k, values + (j + 1) * width + k)
        even = even.addingProduct(weights[j], load(row))
        odd = odd.addingProduct(weights[j + 1], load(next))
        if wide {
          evenHigh = evenHigh.addingProduct(weights[j], load(row + 16))
          oddHigh = oddHigh.addingProduct(weights[j + 1], load(next + 16))
        }
        j += 2
      }
      if j < count {
        even = even.addingProduct(weights[j], load(values + j * width + k))
        if wide { evenHigh = evenHigh.addingProduct(weights[j], load(values + j * width + k + 16)) }
      }
      UnsafeMutableRawPointer(output + k).storeBytes(of: (even + odd) * scale, as: SIMD16<Float>.self)
      if wide { UnsafeMutableRawPointer(output + k + 16).storeBytes(of: (evenHigh + oddHigh) * scale, as: SIMD16<Float>.self) }
      k += wide ? 32 : 16
    }
    while k < width {
      var total: Float = 0
      for j in 0..<count { total += weights[j] * values[j * width + k] }
      output[k] = total * scale
      k += 1
    }
  }

  /// max a[i].
  @inline(__always)
  static func maximum(_ a: UnsafePointer<Float>, count: Int) -> Float {
    var lanes = SIMD16<Float>(repeating: -.infinity)
    var i = 0
    while i + 16 <= count {
      lanes = pointwiseMax(lanes, load(a + i))
      i += 16
    }
    var result = lanes.max()
    while i < count {
      result = Swift.max(result, a[i])
      i += 1
    }
    return result
  }

  /// y += alpha·x, 16 lanes at a time.
  @inline(__always)
  static func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 16 <= count {
      UnsafeMutableRawPointer(y + i).storeBytes(of: load(UnsafePointer(y + i)).addingProduct(alpha, load(x + i)), as: SIMD16<Float>.self)
      i += 16
    }
    while i < count {
      y[i] += alpha * x[i]
      i += 1
    }
  }
}
