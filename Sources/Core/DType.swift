/// The element type of a tensor or graph value.
///
/// porecipe computes in `float32`; `int32` carries indices (the token ids that `gather`
/// picks log-probabilities with). Masks and comparison results are `float32` 0/1.
public enum DType: String, Sendable, Hashable, CustomStringConvertible {
  case float32 = "f32"
  case int32 = "i32"

  /// Bytes per element; both types are four bytes wide, so one storage serves both.
  public var byteCount: Int { 4 }

  public var description: String { rawValue }
}
