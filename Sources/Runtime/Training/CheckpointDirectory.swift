import Core
import Foundation

/// The files of a checkpoint directory (`state.json` and safetensors files), written to a
/// temporary directory beside the target and renamed, so a kill leaves the whole checkpoint
/// or none; read back with errors that name the file.
struct CheckpointDirectory {
  let url: URL

  /// Writes `files` (name → contents) as the directory `url`, replacing an older one.
  func write(_ files: [(name: String, data: Data)]) throws {
    let manager = FileManager.default
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".tmp-" + url.lastPathComponent)
    try? manager.removeItem(at: temporary)
    try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
    for file in files { try file.data.write(to: temporary.appendingPathComponent(file.name)) }
    try? manager.removeItem(at: url)
    try manager.moveItem(at: temporary, to: url)
  }

  /// The contents of `name`.
  func data(_ name: String) throws(RuntimeError) -> Data {
    guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(name).path) else {
      throw .invalidCheckpoint(reason: "\(url.path) has no \(name)")
    }
    return data
  }

  /// The tensors of the safetensors file `name`, sorted by name.
  func tensors(_ name: String) throws(RuntimeError) -> [(name: String, tensor: Tensor)] {
    try SafeTensors.decode(try data(name)).sorted { $0.key < $1.key }.map { (name: $0.key, tensor: $0.value) }
  }

  /// `name` decoded from JSON as `type`; `what` names it in the error.
  func json<Value: Decodable>(_ type: Value.Type, from name: String, what: String) throws(RuntimeError) -> Value {
    do { return try JSONDecoder().decode(type, from: try data(name)) } catch let error as RuntimeError {
      throw error
    } catch {
      throw .invalidCheckpoint(reason: "\(url.path)/\(name) is not \(what): \(error.localizedDescription)")
    }
  }

  /// `state.json` decoded as `type`; `what` names it in the error. With `kind` (`token`,
  /// `preference`), a state of another kind of run is refused by name first.
  func state<State: Decodable>(_ type: State.Type, what: String, kind: String? = nil) throws(RuntimeError) -> State {
    if let kind, let saved = try? JSONDecoder().decode(SavedKind.self, from: try data("state.json")), saved.kind != kind {
      throw .invalidCheckpoint(reason: "\(url.path) is a checkpoint of a \(saved.kind ?? "classic-control") run, not of a \(kind) run; resume it with the recipe it was made with")
    }
    return try json(type, from: "state.json", what: what)
  }

  /// A transformer trainer's tensors as files: `model.safetensors` (the policy),
  /// `reference.safetensors` (the frozen reference) and `optimizer.safetensors` (Adam's moments).
  static func transformerFiles(parameters: [(name: String, tensor: Tensor)], reference: [(name: String, tensor: Tensor)],
                               moments: [(name: String, tensor: Tensor)]) -> [(name: String, data: Data)] {
    [("model.safetensors", SafeTensors.encode(parameters)), ("reference.safetensors", SafeTensors.encode(reference)),
     ("optimizer.safetensors", SafeTensors.encode(moments))]
  }

  /// The tensors `transformerFiles` wrote.
  func transformerTensors() throws(RuntimeError)
    -> (parameters: [(name: String, tensor: Tensor)], reference: [(name: String, tensor: Tensor)], moments: [(name: String, tensor: Tensor)]) {
    (try tensors("model.safetensors"), try tensors("reference.safetensors"), try tensors("optimizer.safetensors"))
  }

  /// The `kind` member of a token or preference trainer's `state.json` (absent: classic control).
  private struct SavedKind: Decodable { var kind: String? }

  /// JSON with sorted keys, as every checkpoint writes `state.json`.
  static func json(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
  }
}
