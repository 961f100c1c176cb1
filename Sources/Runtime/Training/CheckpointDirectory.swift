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

  /// `state.json` decoded as `type`; `what` names it in the error.
  func state<State: Decodable>(_ type: State.Type, what: String) throws(RuntimeError) -> State {
    do { return try JSONDecoder().decode(type, from: try data("state.json")) } catch let error as RuntimeError {
      throw error
    } catch {
      throw .invalidCheckpoint(reason: "\(url.path)/state.json is not \(what): \(error.localizedDescription)")
    }
  }

  /// JSON with sorted keys, as every checkpoint writes `state.json`.
  static func json(_ value: some Encodable) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(value)
  }
}
