import Core
import Graph

/// The two small networks `porecipe bench` times, built as graphs with their gradients.
///
/// They stand for the models the trainers use (an actor-critic MLP on classic control, a
/// character-level transformer on token tasks) at the sizes of ../shared/ANCHORS.md.
enum BenchModels {
  /// A compiled loss and its gradient with respect to the parameters, plus example inputs.
  struct Compiled {
    let executable: Executable
    /// Inputs in the graph's order: the batch first, then the parameters.
    var inputs: [Tensor]
    let parameterCount: Int

    /// The schedule with each step's mean time over a few runs.
    func profiledPlan() throws -> String {
      _ = try executable.run(inputs)
      return executable.describe(timings: try executable.profile(inputs, runs: 20))
    }

    /// The parameter tensors, in the order of the gradient outputs.
    var parameters: ArraySlice<Tensor> { inputs.suffix(parameterCount) }
  }

  /// Deterministic parameter values in ±scale (timing does not depend on them).
  static func filled(_ shape: Shape, scale: Float, seed: Int) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.count).map { i in scale * Float(sin(Double(i &* 7919 &+ seed &* 104_729))) })
  }

  /// 4 → 64 → 64 → 3 with tanh, mean squared error against a target, minibatch 128.
  static func mlp() throws -> Compiled {
    let g = GraphBuilder()
    let x = g.input("x", [128, 4]), target = g.input("target", [128, 3])
    let sizes = [4, 64, 64, 3]
    var parameters: [Value] = []
    for (layer, (fanIn, fanOut)) in zip(sizes, sizes.dropFirst()).enumerated() {
      parameters.append(g.input("w\(layer)", [fanIn, fanOut]))
      parameters.append(g.input("b\(layer)", [1, fanOut]))
    }
    var h = x
    for layer in 0..<3 {
      h = matmul(h, parameters[2 * layer]) + parameters[2 * layer + 1]
      if layer < 2 { h = tanh(h) }
    }
    let loss = square(h - target).mean().named("loss")
    let graph = try g.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: parameters.map(\.id))
    let inputs = [filled([128, 4], scale: 1, seed: 100), filled([128, 3], scale: 1, seed: 101)]
      + parameters.enumerated().map { i, p in filled(p.shape, scale: 0.3, seed: i) }
    return Compiled(executable: try Planner.plan(graph), inputs: inputs, parameterCount: parameters.count)
  }

  /// A pre-LN causal character transformer: vocab 32, 2 layers, width 128, 4 heads,
  /// context 64, MLP 4×, exact GELU, untied output head (413k parameters, as the PyTorch
  /// anchor); next-token cross-entropy on a batch of 32 sequences.
  static func transformer(batch: Int = 32) throws -> Compiled {
    let (vocab, layers, width, heads, context) = (32, 2, 128, 4, 64)
    let headWidth = width / heads
    let g = GraphBuilder()
    let ids = g.input("ids", [batch, context], dtype: .int32), targets = g.input("targets", [batch, context], dtype: .int32)
    var parameters: [Value] = []
    func parameter(_ name: String, _ shape: Shape) -> Value {
      let value = g.input(name, shape)
      parameters.append(value)
      return value
    }
    let tokenTable = parameter("tok_emb", [vocab, width]), positions = parameter("pos_emb", [context, width])
    func layerNorm(_ x: Value, _ name: String) -> Value {
      let gain = parameter("\(name).g", [1, 1, width]), bias = parameter("\(name).b", [1, 1, width])
      let centered = x - x.mean(axis: -1, keepingDims: true)
      let variance = square(centered).mean(axis: -1, keepingDims: true)
      return centered / sqrt(variance + 1e-5) * gain + bias
    }
    func linear(_ x: Value, _ name: String, _ fanIn: Int, _ fanOut: Int) -> Value {
      matmul(x, parameter("\(name).w", [fanIn, fanOut])) + parameter("\(name).b", [1, 1, fanOut])
    }
    var mask = [Float](repeating: 0, count: context * context)
    for i in 0..<context { for j in (i + 1)..<context { mask[i * context + j] = -1e9 } }
    let causal = g.constant(Tensor(shape: [1, context, context], scalars: mask), label: "causal_mask")

    var x = tokenTable.gatherRows(ids) + positions.reshaped(to: [1, context, width])
    for layer in 0..<layers {
      let qkv = linear(layerNorm(x, "l\(layer).ln1"), "l\(layer).qkv", width, 3 * width)
      func heads_(_ part: Int) -> Value {
        qkv.sliced(axis: 2, start: part * width, length: width)
          .reshaped(to: [batch, context, heads, headWidth]).transposed([0, 2, 1, 3])
          .reshaped(to: [batch * heads, context, headWidth])
      }
      let (q, k, v) = (heads_(0), heads_(1), heads_(2))
      let scores = matmul(q, k, transposeB: true) * (1 / Float(headWidth).squareRoot())
      let attention = (scores.reshaped(to: [batch * heads, context, context]) + causal).softmax(axis: -1)
      let mixed = matmul(attention, v).reshaped(to: [batch, heads, context, headWidth]).transposed([0, 2, 1, 3])
        .reshaped(to: [batch, context, width])
      x = x + linear(mixed, "l\(layer).proj", width, width)
      let hidden = gelu(linear(layerNorm(x, "l\(layer).ln2"), "l\(layer).fc", width, 4 * width))
      x = x + linear(hidden, "l\(layer).out", 4 * width, width)
    }
    let logits = linear(layerNorm(x, "ln_f"), "head", width, vocab)
    let loss = (-logits.logSoftmax(axis: -1).gatherLastAxis(targets)).mean().named("loss")
    let graph = try g.build(outputs: [loss]).gradient(of: loss.id, withRespectTo: parameters.map(\.id))

    let tokens = (0..<batch * context).map { Int32(($0 &* 31 &+ 7) % vocab) }
    var inputs = [Tensor(shape: [batch, context], indices: tokens),
                  Tensor(shape: [batch, context], indices: tokens.map { ($0 + 1) % Int32(vocab) })]
    inputs += parameters.enumerated().map { i, p in
      (g.node(p.id).label ?? "").hasSuffix(".g") ? Tensor(repeating: 1, shape: p.shape) : filled(p.shape, scale: 0.05, seed: i)
    }
    return Compiled(executable: try Planner.plan(graph), inputs: inputs, parameterCount: parameters.count)
  }
}

#if canImport(Glibc)
import Glibc
#endif
