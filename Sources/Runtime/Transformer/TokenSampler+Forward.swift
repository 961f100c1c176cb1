import Core
import Foundation

extension TokenSampler {
  /// Runs slots `start..<start+count` of the first `rows` rows through the network, writing
  /// their keys and values into the cache and the logits of each row's last slot into
  /// `buffers.logits`. Token m = row·count + i of the block is slot start + i of its row.
  func advance(_ w: SamplerWeights, rows: Int, from start: Int, count: Int) {
    let b = buffers
    let (d, tokens) = (b.width, rows * count)
    for row in 0..<rows {
      for i in 0..<count {
        let slot = start + i, m = row * count + i
        let token = Int(b.sequence[row * b.slots + slot]), position = Swift.max(0, slot - b.pads[row])
        let x = b.residual + m * d, embedding = w.tokens + token * d, place = w.positions + position * d
        for k in 0..<d { x[k] = embedding[k] + place[k] }
      }
    }
    for (l, layer) in w.layers.enumerated() {
      Self.layerNorm(b.residual, gain: layer.norm1Gain, bias: layer.norm1Bias, into: b.normed, rows: tokens, width: d)
      Self.linear(b.normed, layer.qkvWeight, layer.qkvBias, into: b.qkv, rows: tokens, fanIn: d, fanOut: 3 * d, accumulate: false)
      attend(layer: l, rows: rows, from: start, count: count)
      Self.linear(b.mixed, layer.projectionWeight, layer.projectionBias, into: b.residual, rows: tokens, fanIn: d, fanOut: d,
                  accumulate: true)
      Self.layerNorm(b.residual, gain: layer.norm2Gain, bias: layer.norm2Bias, into: b.normed, rows: tokens, width: d)
      Self.linear(b.normed, layer.expandWeight, layer.expandBias, into: b.hidden, rows: tokens, fanIn: d, fanOut: 4 * d,
                  accumulate: false)
      Elementwise.apply(.gelu, b.hidden, b.hidden, count: tokens * 4 * d)
      Self.linear(b.hidden, layer.contractWeight, layer.contractBias, into: b.residual, rows: tokens, fanIn: 4 * d, fanOut: d,
                  accumulate: true)
    }
    for row in 0..<rows {
      Self.layerNorm(b.residual + (row * count + count - 1) * d, gain: w.finalGain, bias: w.finalBias, into: b.last + row * d,
                     rows: 1, width: d)
    }
    Matmul.sgemm(transposeA: false, transposeB: true, m: rows, n: b.vocabulary, k: d, a: b.last, lda: d, b: w.tokens, ldb: d,
                 c: b.logits, ldc: b.vocabulary, accumulate: false)
  }

  /// Stores the block's keys and values in layer `layer`'s cache, then for every token and
  /// head: softmax over the row's visible slots (pad…slot) of q·k/√dₕ, times the values.
  /// Rows are split over the cores in fixed halves.
  private func attend(layer: Int, rows: Int, from start: Int, count: Int) {
    let b = buffers
    let (d, heads, hd, slots) = (b.width, b.heads, b.headWidth, b.slots)
    let (keys, values) = (b.keys[layer], b.values[layer])
    let scale = 1 / Float(hd).squareRoot()
    let parts = rows * count * (start + count) * d >= 16_384 ? Swift.min(Parallel.coreCount, rows) : 1
    let perPart = (rows + parts - 1) / parts
    Parallel.forEach(parts) { part in
      for row in (part * perPart)..<Swift.min(rows, (part + 1) * perPart) {
        let pad = b.pads[row]
        let weights = b.scores + row * slots
        for i in 0..<count {
          let m = row * count + i, slot = start + i
          let source = b.qkv + m * 3 * d
          for h in 0..<heads {
            let cacheOffset = ((row * heads + h) * slots + slot) * hd
            (keys + cacheOffset).update(from: source + d + h * hd, count: hd)
            (values + cacheOffset).update(from: source + 2 * d + h * hd, count: hd)
          }
          for h in 0..<heads {
            let output = b.mixed + m * d + h * hd
            output.update(repeating: 0, count: hd)
            guard slot >= pad else { continue }  // a padding query sees nothing; its output is never read
            let query = source + h * hd
            let headKeys = keys + (row * heads + h) * slots * hd, headValues = values + (row * heads + h) * slots * hd
            var maximum = -Float.infinity
            for j in pad...slot {
              let key = headKeys + j * hd
              var dot: Float = 0
              for k in 0..<hd { dot += query[k] * key[k] }
              weights[j] = dot * scale
              maximum = Swift.max(maximum, weights[j])
            }
            var total: Float = 0
            for j in pad...slot {
              weights[j] = Foundation.expf(weights[j] - maximum)
              total += weights[j]
            }
            let inverse = 1 / total
            for j in pad...slot {
              let p = weights[j] * inverse, value = headValues + j * hd
              for k in 0..<hd { output[k] += p * value[k] }
            }
          }
        }
      }
    }
  }

  /// y = x·W + bias (or y += x·W + bias when `accumulate`) for `rows` rows.
  static func linear(_ x: UnsafePointer<Float>, _ weight: UnsafePointer<Float>, _ bias: UnsafePointer<Float>,
                     into y: UnsafeMutablePointer<Float>, rows: Int, fanIn: Int, fanOut: Int, accumulate: Bool) {
    if accumulate {
      for i in 0..<rows {
        let row = y + i * fanOut
        for j in 0..<fanOut { row[j] += bias[j] }
      }
    }
    Matmul.sgemm(transposeA: false, transposeB: false, m: rows, n: fanOut, k: fanIn, a: x, lda: fanIn, b: weight, ldb: fanOut,
                 c: y, ldc: fanOut, accumulate: accumulate)
    if !accumulate {
      for i in 0..<rows {
        let row = y + i * fanOut
        for j in 0..<fanOut { row[j] += bias[j] }
      }
    }
  }

  /// y = (x − mean) / √(var + 1e-5) · gain + bias over each row of `width` (PyTorch's LayerNorm).
  static func layerNorm(_ x: UnsafePointer<Float>, gain: UnsafePointer<Float>, bias: UnsafePointer<Float>,
                        into y: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
    for i in 0..<rows {
      let input = x + i * width, output = y + i * width
      var sum: Float = 0
      for k in 0..<width { sum += input[k] }
      let mean = sum / Float(width)
      var squares: Float = 0
      for k in 0..<width {
        let centered = input[k] - mean
        squares += centered * centered
      }
      let inverse = 1 / (squares / Float(width) + 1e-5).squareRoot()
      for k in 0..<width { output[k] = (input[k] - mean) * inverse * gain[k] + bias[k] }
    }
  }
}
