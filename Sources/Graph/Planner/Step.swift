import Core

/// One kernel launch of an `Executable`; operands and results are slots of its pointer table.
enum Step {
  case fused(FusedKernel, count: Int, output: Int)
  case reduce(Reduction.Kind, input: Int, outer: Int, extent: Int, inner: Int, output: Int)
  case matmul(MatmulShape, a: Int, b: Int, output: Int)
  /// Transpose, broadcast: a strided read of the input into a contiguous output.
  case stridedCopy(input: Int, strides: [Int], shape: Shape, output: Int)
  case slice(input: Int, shape: Shape, axis: Int, start: Int, length: Int, output: Int)
  case concat(inputs: [Int], extents: [Int], outer: Int, inner: Int, output: Int)
  case gather(GatherMode, table: Int, indices: Int, rows: Int, width: Int, count: Int, output: Int)
  case scatterAdd(GatherMode, source: Int, indices: Int, rows: Int, width: Int, count: Int, output: Int)
  case linearScan(input: Int, decay: Int, outer: Int, extent: Int, inner: Int, reverse: Bool, output: Int)

  /// The slot this step writes.
  var output: Int {
    switch self {
    case .fused(_, _, let output), .reduce(_, _, _, _, _, let output), .matmul(_, _, _, let output),
         .stridedCopy(_, _, _, let output), .slice(_, _, _, _, _, let output), .concat(_, _, _, _, let output),
         .gather(_, _, _, _, _, _, let output), .scatterAdd(_, _, _, _, _, _, let output),
         .linearScan(_, _, _, _, _, _, let output):
      output
    }
  }
}

/// The sizes of a batched product, as `Matmul.batched` takes them.
struct MatmulShape {
  var batch, m, n, k: Int
  var transposeA, transposeB: Bool
}
