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

  /// The canonical description of a warm start: every value that decides its weights and
  /// nothing else, as `name=value` fields sorted by name, so the same recipe gives the same
  /// text (and key) in every process.
  ///
  ///     warm_start v2 policy.context=16 … seed=5 sft.batch=64 … task=arithmetic digits=1 operations=+
  ///
  /// The weights follow from the initialization (the policy and the seed), the supervised
  /// settings, the program's lengths and the task's problems (`canonicalDescription`).
  /// Nothing is printed through reflection: a `Set` or `Dictionary` field would print in
  /// an order that changes with every process (Swift seeds its hashes per process).
  public static func description(task: any TokenTask, policy: TransformerConfiguration, warmStart sft: WarmStartConfiguration,
                                 promptLength: Int, responseLength: Int, seed: UInt64) -> String {
    let fields: [(String, String)] = [
      ("policy.context", "\(policy.context)"), ("policy.heads", "\(policy.heads)"), ("policy.layers", "\(policy.layers)"),
      ("policy.value_head", "\(policy.valueHead)"), ("policy.vocabulary", "\(policy.vocabulary)"), ("policy.width", "\(policy.width)"),
      ("prompt_length", "\(promptLength)"), ("response_length", "\(responseLength)"), ("seed", "\(seed)"),
      ("sft.batch", "\(sft.batch)"), ("sft.check_every", "\(sft.checkEvery)"), ("sft.learning_rate", "\(sft.learningRate)"),
      ("sft.max_steps", "\(sft.maxSteps)"), ("sft.until_accuracy", "\(sft.untilAccuracy)"), ("sft.validation", "\(sft.validation)"),
      ("task", task.canonicalDescription),
    ]
    return (["warm_start v2"] + fields.sorted { $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
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
