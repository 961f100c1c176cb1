import Core
import Foundation

/// Warm-started weights cached by the content that determines them — the task and its
/// parameters, the policy, the warm-start settings, the lengths and the seed — so every
/// recipe on the same task and policy reuses one supervised stage.
///
/// Entries live in `$PORECIPE_CACHE` (default `~/.cache/porecipe`) under
/// `warm_start/<hash>/` as `model.safetensors` and `result.json`, written to a temporary
/// name and renamed; an unreadable entry is ignored and rebuilt, never trusted.
public struct WarmStartCache: Sendable {
  public let directory: URL

  public init(directory: URL? = nil) {
    if let directory {
      self.directory = directory
    } else if let root = ProcessInfo.processInfo.environment["PORECIPE_CACHE"], !root.isEmpty {
      self.directory = URL(fileURLWithPath: root).appendingPathComponent("warm_start")
    } else {
      self.directory = FileManager.default.homeDirectoryForCurrentUser
        .appendingPathComponent(".cache/porecipe/warm_start")
    }
  }

  /// The key of a warm start: two FNV-1a hashes of its canonical description (128 bits).
  public static func key(_ description: String) -> String {
    func fnv(_ offset: UInt64) -> UInt64 {
      var hash = offset
      for byte in description.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
      return hash
    }
    return String(format: "%016llx%016llx", fnv(0xcbf2_9ce4_8422_2325), fnv(0x84222325_cbf29ce4))
  }

  /// The cached weights and result under `key`, when present and readable.
  public func load(_ key: String, configuration: TransformerConfiguration) -> (TransformerParameters, WarmStart.Result)? {
    let entry = directory.appendingPathComponent(key)
    guard let model = FileManager.default.contents(atPath: entry.appendingPathComponent("model.safetensors").path),
          let resultData = FileManager.default.contents(atPath: entry.appendingPathComponent("result.json").path),
          let result = try? JSONDecoder().decode(WarmStart.Result.self, from: resultData),
          let tensors = try? SafeTensors.decode(model) else { return nil }
    var rng = Philox(seed: 0)
    var parameters = TransformerParameters.initialized(configuration, rng: &rng)
    for (index, name) in parameters.names.enumerated() {
      guard let tensor = tensors[name], tensor.shape == parameters.tensors[index].shape else { return nil }
      parameters.tensors[index] = tensor
    }
    return (parameters, result)
  }

  /// Stores `parameters` and `result` under `key`; failures are ignored (a cache is optional).
  public func store(_ key: String, parameters: TransformerParameters, result: WarmStart.Result) {
    let manager = FileManager.default
    let entry = directory.appendingPathComponent(key)
    let temporary = directory.appendingPathComponent(".tmp-\(key)-\(ProcessInfo.processInfo.processIdentifier)")
    do {
      try? manager.removeItem(at: temporary)
      try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
      try SafeTensors.encode(Array(zip(parameters.names, parameters.tensors)).map { (name: $0.0, tensor: $0.1) })
        .write(to: temporary.appendingPathComponent("model.safetensors"))
      try JSONEncoder().encode(result).write(to: temporary.appendingPathComponent("result.json"))
      try? manager.removeItem(at: entry)
      try manager.moveItem(at: temporary, to: entry)
    } catch {
      try? manager.removeItem(at: temporary)
    }
  }
}
