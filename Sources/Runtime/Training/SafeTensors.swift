import Core
import Foundation

/// The safetensors format for float32 tensors: an 8-byte little-endian header length, a JSON
/// header `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}`,
/// then the raw little-endian data.
///
/// - Matches: Hugging Face `safetensors` (F32 only).
public enum SafeTensors {
  private struct Entry: Codable {
    var dtype: String
    var shape: [Int]
    var data_offsets: [Int]
  }

  /// The file's bytes for `tensors`, in the given order.
  public static func encode(_ tensors: [(name: String, tensor: Tensor)]) -> Data {
    var header = "{"
    var offset = 0
    for (k, (name, tensor)) in tensors.enumerated() {
      let bytes = tensor.count * 4
      header += (k == 0 ? "" : ",") + "\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(tensor.shape.dims.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
      offset += bytes
    }
    header += "}"
    while (header.utf8.count + 8) % 8 != 0 { header += " " }
    var data = Data()
    var length = UInt64(header.utf8.count).littleEndian
    withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
    data.append(contentsOf: header.utf8)
    for (_, tensor) in tensors {
      data.append(UnsafeBufferPointer(start: tensor.floats, count: tensor.count))
    }
    return data
  }

  /// The tensors of a safetensors file by name.
  ///
  /// - Throws: `RuntimeError.invalidCheckpoint` for a file that is not float32 safetensors.
  public static func decode(_ data: Data) throws(RuntimeError) -> [String: Tensor] {
    func bad(_ reason: String) -> RuntimeError { .invalidCheckpoint(reason: reason) }
    guard data.count >= 8 else { throw bad("a safetensors file is too short") }
    let bytes = [UInt8](data)
    var length = 0
    for k in 0..<8 { length |= Int(bytes[k]) << (8 * k) }
    guard length >= 2, 8 + length <= bytes.count else { throw bad("the safetensors header length \(length) is out of range") }
    let entries: [String: Entry]
    do {
      entries = try JSONDecoder().decode([String: Entry].self, from: Data(bytes[8..<(8 + length)]))
    } catch {
      throw bad("the safetensors header is not valid: \(error.localizedDescription)")
    }
    let base = 8 + length
    var result: [String: Tensor] = [:]
    for (name, entry) in entries {
      let count = entry.shape.reduce(1, *)
      guard entry.dtype == "F32", entry.data_offsets.count == 2, entry.shape.allSatisfy({ $0 >= 0 }),
            entry.data_offsets[1] - entry.data_offsets[0] == 4 * count, entry.data_offsets[0] >= 0,
            base + entry.data_offsets[1] <= bytes.count else {
        throw bad("tensor \(name) in a safetensors file is not float32 data of its shape")
      }
      var scalars = [Float](repeating: 0, count: count)
      scalars.withUnsafeMutableBytes { destination in
        bytes.withUnsafeBytes { source in
          destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[(base + entry.data_offsets[0])..<(base + entry.data_offsets[1])]))
        }
      }
      result[name] = Tensor(shape: Shape(entry.shape), scalars: scalars)
    }
    return result
  }
}
